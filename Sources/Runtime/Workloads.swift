import Detection
import Detectors
import EventModel

/// The AI-workflow servers' workload identities configured in
/// `detectors/workflow.workload_activity.yaml` (`workloads:`), for incidents and investigations.
public enum Workloads {
    /// The configured links; empty when the detector is absent or disabled.
    public static func of(_ set: DetectorSet) -> [Workload] {
        for d in set.detectors where d.spec.id == WorkflowWorkloadActivity.id && d.spec.enabled {
            if let w = d.detector as? WorkflowWorkloadActivity { return w.configuration.workloads }
        }
        return []
    }
}

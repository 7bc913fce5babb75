import Detection
import Investigation
import Runtime

extension WatchEngine {
    /// The detectors plus the incident chain observer (when incidents are on), whose open
    /// incidents are saved with the detector states so they survive a restart.
    static func withObserver(_ detectors: [LoadedDetector], _ builder: IncidentBuilder?) -> [LoadedDetector] {
        guard let builder else { return detectors }
        return detectors + [IncidentChainObserver(builder: builder, persistent: true).loaded]
    }
}

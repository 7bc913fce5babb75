import ArgumentParser
import Runtime

/// Entry point; the subcommands live in their own files and hold no logic.
struct Trailhound: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trailhound",
        abstract: "Catch compromised automation in cloud audit logs.",
        discussion: """
            Stream-scans audit logs from five sources, recognised by content (gzip or plain): AWS CloudTrail \
            (S3 layout, JSON lines, EventBridge, CloudWatch Logs), Kubernetes audit (raw, EKS, AKS, GKE), \
            GCP Cloud Audit Logs, Azure Activity / Key Vault / Entra, and AI-workflow server logs \
            (trailhound.workflow/v1 and formats/*.yaml mappings), plus the access logs in front of those \
            servers (nginx and ingress-nginx text or JSON, AWS ALB, Envoy / Istio, GCP load balancer, Azure \
            Application Gateway). Keeps per-identity baselines and runs the detectors configured in \
            detectors/*.yaml and the Sigma rules of detectors/rules/.

            Exit codes: 0 ok, 1 failure, 3 findings at or above --fail-on, 64 usage or config error.
            """,
        version: "trailhound " + BuildInfo.versionLine,
        subcommands: [
            ScanCommand.self, ValidateCommand.self, DetectorsCommand.self, BaselineCommand.self,
            InvestigateCommand.self, WatchCommand.self, CoverageCommand.self,
        ]
    )
}

Trailhound.main()

import ArgumentParser

/// Entry point; the subcommands live in their own files and hold no logic.
struct Trailhound: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trailhound",
        abstract: "Catch compromised automation in cloud audit logs.",
        discussion: """
            Stream-scans CloudTrail archives (gzip or plain; S3 layout, JSON lines, EventBridge), \
            keeps per-identity baselines and runs the detectors configured in detectors/*.yaml.

            Exit codes: 0 ok, 1 failure, 3 findings at or above --fail-on, 64 usage or config error.
            """,
        version: "0.1.0",
        subcommands: [
            ScanCommand.self, ValidateCommand.self, DetectorsCommand.self, BaselineCommand.self,
            InvestigateCommand.self, WatchCommand.self,
        ]
    )
}

Trailhound.main()

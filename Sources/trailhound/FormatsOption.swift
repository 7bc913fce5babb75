import ArgumentParser
import Runtime

/// `--formats DIR`, shared by `scan` and `validate`.
struct FormatsOption: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Directory of workflow-log mappings, formats/*.yaml, with the front-door endpoint catalogue and deployments (default: $TRAILHOUND_FORMATS, ./formats, or the one installed with trailhound; none found means no mappings)."
    )
    var formats: String?

    /// The resolved directory, or nil when there is none.
    func directory() -> String? { FormatsLocator.resolve(formats) }
}

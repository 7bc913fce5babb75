import ArgumentParser
import Baselines
import EventModel
import Runtime
import StateStore

/// `trailhound baseline show|export` over a state file written by `scan --state`.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract:
            "Show, export, accept quarantined activity into, or forget part of the baselines kept in a state file.",
        subcommands: [Show.self, Export.self, List.self, Accept.self, Forget.self])

    /// Loads every saved baseline from a state file.
    static func load(_ path: String) throws -> BaselineStore {
        let store: StateStore
        do { store = try StateStore(path: path, access: .readOnly) } catch {
            Terminal.err(error.description)
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        defer { store.close() }
        let baselines = BaselineStore()
        do { _ = try store.restore(into: baselines) } catch {
            Terminal.err(error.description)
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        return baselines
    }

    /// The identity key `text` names among the saved baselines, with the same rules as
    /// `investigate` (`IdentityQuery`): a full key, a session ARN (its role), or a short name
    /// (`web-app`, `role/web-app`). Ambiguous or unusable text is a usage error (64).
    static func resolve(_ text: String, in baselines: BaselineStore, state: String, quarantined: Bool = true) throws
        -> String
    {
        let query = IdentityQuery(text)
        if query.kind == .accessKey {
            Terminal.err(
                "trailhound: error: '\(text)' is an access key id; baselines are kept per identity, and a state file does not "
                    + "record which identity a key belongs to: give the identity (`trailhound investigate \(text) PATH…` "
                    + "shows it as the report's target)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let keys = quarantined ? Array(Set(baselines.identityKeys + baselines.quarantinedKeys)) : baselines.identityKeys
        switch query.resolve(among: keys) {
        case .found(let key): return key
        case .ambiguous(let keys):
            Terminal.err(query.ambiguity(keys, in: state))
            throw ExitCode(ExitStatus.usage.rawValue)
        case .notFound:
            Terminal.err(
                "trailhound: error: no baseline for '\(text)' in \(state) (see `trailhound baseline list --state \(state)`)"
            )
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe one identity's baseline in words.")
        @Argument(
            help:
                "Identity key (arn:aws:iam::111122223333:role/web-app), session ARN, or short name (web-app, role/web-app)."
        ) var identity: String
        @Option(name: .long, help: "State file written by `scan --state`.") var state: String
        @OptionGroup var detectorsOption: DetectorsOption

        func run() throws {
            let baselines = try BaselineCommand.load(state)
            NetworkClassLoader.install(
                into: baselines, detectorsDirectory: DetectorsLocator.resolve(detectorsOption.detectors)
            ) { Terminal.err($0.description) }
            let key = try BaselineCommand.resolve(identity, in: baselines, state: state)
            guard let text = baselines.describe(identity: key) else {
                Terminal.err("trailhound: error: no baseline for '\(key)' in \(state)")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
            print(text)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export baselines as JSON (all identities, or one).")
        @Argument(help: "Identity key, session ARN or short name (default: every identity).") var identity: String?
        @Option(name: .long, help: "State file written by `scan --state`.") var state: String

        func run() throws {
            let baselines = try BaselineCommand.load(state)
            if let identity {
                let key = try BaselineCommand.resolve(identity, in: baselines, state: state)
                guard let json = baselines.exportJSON(identity: key) else {
                    Terminal.err("trailhound: error: no baseline for '\(key)' in \(state)")
                    throw ExitCode(ExitStatus.failure.rawValue)
                }
                print(json)
            } else {
                print(baselines.exportJSON())
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the identities that have a baseline.")
        @Option(name: .long, help: "State file written by `scan --state`.") var state: String

        func run() throws {
            let baselines = try BaselineCommand.load(state)
            for key in baselines.identityKeys.sorted() { print(key) }
        }
    }
}

import ArgumentParser
import Baselines
import Runtime
import StateStore

/// `trailhound baseline show|export` over a state file written by `scan --state`.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Show or export the behavioural baselines kept in a state file.",
        subcommands: [Show.self, Export.self, List.self])

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

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe one identity's baseline in words.")
        @Argument(help: "Canonical identity, e.g. arn:aws:iam::111122223333:role/web-app") var identity: String
        @Option(name: .long, help: "State file written by `scan --state`.") var state: String

        func run() throws {
            let baselines = try BaselineCommand.load(state)
            guard let text = baselines.describe(identity: identity) else {
                Terminal.err(
                    "trailhound: error: no baseline for '\(identity)' in \(state) (see `trailhound baseline list --state \(state)`)"
                )
                throw ExitCode(ExitStatus.failure.rawValue)
            }
            print(text)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export baselines as JSON (all identities, or one).")
        @Argument(help: "Canonical identity (default: every identity).") var identity: String?
        @Option(name: .long, help: "State file written by `scan --state`.") var state: String

        func run() throws {
            let baselines = try BaselineCommand.load(state)
            if let identity {
                guard let json = baselines.exportJSON(identity: identity) else {
                    Terminal.err("trailhound: error: no baseline for '\(identity)' in \(state)")
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

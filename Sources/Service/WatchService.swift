import Config
import Detection
import Detectors
import Formats
import Foundation
import HTTPTransport
import Logging
import Runtime
import ServiceLifecycle
import Sigma
import StateStore
import UnixSignals

#if canImport(Glibc)
    import Glibc
#endif

/// `trailhound watch`: wires the detection thread, the sink threads, the
/// HTTP endpoint and signal handling (swift-service-lifecycle): SIGTERM and
/// SIGINT shut down gracefully in order (stop reading, final checkpoint,
/// sinks deliver what is committed, HTTP stops); SIGHUP reloads the detector config.
public enum WatchService {
    /// Problems in the detector config the service would load (for `--check-config`).
    public static func checkDetectors(_ config: WatchConfig) -> [ConfigIssue] {
        let formats = FormatMappingLoader.load(directory: config.formatsDirectory).issues
        guard let dir = config.detectorsDirectory else { return formats }
        let rules = RuleLoading.load(ruleDirectories(config, detectors: dir))
        return DetectorLoader.load(directory: dir, registry: Registry.all).issues + rules.configIssues + formats
    }

    /// The bundled `<detectors>/rules/` and the config's `rules:` directories.
    static func ruleDirectories(_ config: WatchConfig, detectors: String) -> [String] {
        RuleLoading.directories(detectorsDirectory: detectors, extra: config.ruleDirectories, noRules: false)
    }

    /// Runs until SIGTERM/SIGINT (or, with `exitWhenIdle`, until the inputs
    /// are read); returns the exit status. `config.detectorsDirectory` must be set.
    public static func run(config: WatchConfig) -> ExitStatus {
        signal(SIGPIPE, SIG_IGN)
        guard let dir = config.detectorsDirectory, let statePath = config.statePath else { return .usage }
        let set = DetectorLoader.load(directory: dir, registry: Registry.all)
        if !set.issues.isEmpty {
            for i in set.issues { Terminal.err(i.description) }
            Terminal.err("trailhound: error: \(set.issues.count) problem(s) in detector config; not started")
            return .usage
        }
        let formats = FormatMappingLoader.load(directory: config.formatsDirectory)
        if !formats.issues.isEmpty {
            for i in formats.issues { Terminal.err(i.description) }
            Terminal.err("trailhound: error: \(formats.issues.count) problem(s) in format mappings; not started")
            return .usage
        }
        guard let rules = RuleLoading.loadForRun(ruleDirectories(config, detectors: dir)) else { return .usage }
        let store: StateStore
        let outbox: Outbox
        let engine: WatchEngine
        let shared = WatchEngine.Shared(recent: config.http?.recentFindings ?? 1000)
        do {
            store = try StateStore(path: statePath)
            outbox = try Outbox(path: statePath)
            engine = try WatchEngine(
                config: config, detectors: set.detectors, rules: rules, mappings: formats.mappings,
                frontDoor: formats.frontDoor, store: store,
                outbox: outbox, shared: shared)
        } catch let e as StateError {
            Terminal.err(e.description)
            return .failure
        } catch {
            Terminal.err("\(statePath): error: \(error) [state.open]")
            return .failure
        }
        switch makeQueues(config, metrics: shared.metrics, wake: { [engine] in engine.wakeup.signal() }) {
        case .failure(let issue):
            Terminal.err(issue.description)
            return .usage
        case .success(let queues): engine.queues = queues
        }
        let workers: [SinkWorker]
        var marks: [SinkMark] = []
        do {
            workers = try makeWorkers(config, outbox, shared)
            let startAfter = (try outbox.maxSeq())
            for w in workers { marks.append(try w.prepare(startAfter: startAfter)) }
        } catch {
            Terminal.err("trailhound: error: \(error)")
            return .failure
        }
        engine.sinkNames = workers.map(\.sink.name)
        engine.onCommitted = { for w in workers { w.wakeup.signal() } }
        for (w, m) in zip(workers, marks) { w.start(from: m) }
        for q in engine.queues { q.start() }
        Terminal.err("trailhound: watch started: \(engine.summary); state \(statePath)")
        let status = runGroup(config: config, engine: engine, workers: workers, shared: shared)
        // The sinks have drained and exited: close the HTTP client's connections.
        for w in workers { (w.sink as? HTTPSink)?.transport.syncShutdown() }
        outbox.close()
        store.close()
        return status
    }

    /// The receiver API of an HTTP sink's kind.
    private static func receiverAPI(_ w: WatchConfig.Webhook) -> any ReceiverAPI {
        switch w.kind {
        case .webhook: WebhookAPI(config: w)
        case .slack: SlackAPI(config: w)
        case .pagerduty: PagerDutyAPI(config: w)
        case .splunkHEC: SplunkHECAPI(config: w)
        case .elasticsearch: ElasticsearchAPI(config: w)
        }
    }

    private static func makeWorkers(
        _ c: WatchConfig, _ outbox: Outbox, _ shared: WatchEngine.Shared
    ) throws -> [SinkWorker] {
        var out: [SinkWorker] = []
        if c.stdout {
            out.append(
                SinkWorker(
                    sink: StdoutSink(minSeverity: c.stdoutMinSeverity), outbox: outbox,
                    metrics: shared.metrics, maxQueue: nil))
        }
        if let f = c.file {
            out.append(
                SinkWorker(sink: FileSinkWriter(config: f), outbox: outbox, metrics: shared.metrics, maxQueue: nil))
        }
        guard c.webhook != nil || !c.receivers.isEmpty else { return out }
        let transport = try HTTPTransport(options: c.transport)
        for var w in (c.webhook.map { [$0] } ?? []) + c.receivers {
            if w.deadLetterPath == nil, let state = c.statePath {
                w.deadLetterPath = state + ".\(w.kind.rawValue)-dead-letter.jsonl"
            }
            let sink = HTTPSink(config: w, api: receiverAPI(w), transport: transport, metrics: shared.metrics)
            out.append(SinkWorker(sink: sink, outbox: outbox, metrics: shared.metrics, maxQueue: w.maxQueue))
        }
        return out
    }

    private static func runGroup(
        config: WatchConfig, engine: WatchEngine, workers: [SinkWorker],
        shared: WatchEngine.Shared
    ) -> ExitStatus {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let http = config.http {
            services.append(
                .init(
                    service: HTTPService(endpoint: HTTPEndpoint(config: http, shared: shared)),
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        services.append(
            .init(
                service: SinksService(workers: workers), successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup))
        services.append(
            .init(
                service: EngineService(engine: engine), successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup))
        services.append(
            .init(
                service: ReloadService(engine: engine), successTerminationBehavior: .ignore,
                failureTerminationBehavior: .ignore))
        let logger = Logger(label: "trailhound", factory: { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let result = Locked<ExitStatus>(.ok)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await group.run()
            } catch {
                Terminal.err("trailhound: error: \(error)")
                result.with { $0 = .failure }
            }
            done.signal()
        }
        done.wait()
        return result.with { $0 }
    }
}

/// The detection thread as a service: stops (final checkpoint) on graceful shutdown.
struct EngineService: Service {
    let engine: WatchEngine

    func run() async throws {
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let t = Thread { [engine] in
                    engine.run()
                    c.resume()
                }
                t.name = "trailhound-engine"
                t.stackSize = 8 << 20
                t.start()
            }
        } onGracefulShutdown: { [engine] in
            engine.requestStop()
        }
    }
}

/// The sink threads: on graceful shutdown (after the engine's final
/// checkpoint) they deliver what is committed, within 3 seconds, and exit.
struct SinksService: Service {
    let workers: [SinkWorker]

    func run() async throws {
        try? await gracefulShutdown()
        for w in workers { w.stop(drain: 3) }
        for w in workers { await w.waitUntilFinished() }
    }
}

/// The HTTP endpoint on its own thread (`HTTPServerLoop`); prints the
/// address it listens on and stops (closing every connection) on graceful shutdown.
struct HTTPService: Service {
    let endpoint: HTTPEndpoint

    func run() async throws {
        let config = endpoint.config
        let server = HTTPServerLoop(limits: endpoint.limits, handler: endpoint.handle)
        let port = try server.bind(host: config.host, port: config.port)
        let host = config.host.contains(":") ? "[\(config.host)]" : config.host
        Terminal.err("trailhound: listening on http://\(host):\(port)")
        server.start()
        try? await gracefulShutdown()
        server.stop()
        await server.waitUntilFinished()
    }
}

/// SIGHUP: reload the detector config (the engine checks it and keeps the old one if it has problems).
struct ReloadService: Service {
    let engine: WatchEngine

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            engine.requestReload()
        }
    }
}

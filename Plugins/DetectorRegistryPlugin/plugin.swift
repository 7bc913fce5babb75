import Foundation
import PackagePlugin

/// Generates `RegistryGenerated.swift` for the target it is applied to (`Detectors`): the list of
/// its types that conform to `BuiltInDetector`, which `Registry.all` sorts by id. Swift has no
/// runtime type discovery; generating the list at build time means adding a detector is its
/// Swift file, its YAML and its test, with no registry line to forget. The build fails with
/// `file:line:col: error:` on a conformance the generator cannot list (a generic or private
/// type, one under `#if`), so a detector is never left out silently.
@main
struct DetectorRegistryPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let sources = module.sourceFiles(withSuffix: "swift").map(\.url).sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("RegistryGenerated.swift")
        let tool = try context.tool(named: "DetectorRegistryGen")
        let arguments =
            [
                "--output", output.path, "--protocol", "BuiltInDetector", "--function", "generatedBuiltInDetectors",
                "--import", "Detection",
            ] + sources.map(\.path)
        return [
            .buildCommand(
                displayName: "Listing the BuiltInDetector types of \(target.name)", executable: tool.url,
                arguments: arguments, inputFiles: sources, outputFiles: [output])
        ]
    }
}

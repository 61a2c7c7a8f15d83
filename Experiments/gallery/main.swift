// gallery: one figure of every chart type, from the fixed specimen data of Charts.Specimens, as PNG
// and PDF in figures/gallery/ (`make gallery`, also part of `make figures`).
import ArgumentParser
import Charts
import Foundation

@main
struct Gallery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Render one figure of every chart type (fixed specimen data) to PNG and PDF.")

    @Option(name: .long, help: "Directory to write into (created if missing).")
    var out = "figures/gallery"

    @Option(name: .long, help: "Resolution of the PNG files, dots per inch.")
    var dpi = 200.0

    @Flag(name: .long, help: "Also write SVG.")
    var svg = false

    @Option(name: .long, help: "Render only the specimens with these names (comma-separated).")
    var only: String?

    func validate() throws {
        guard dpi >= 36, dpi <= 1200 else { throw ValidationError("--dpi must be between 36 and 1200") }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let wanted = only.map { Set($0.split(separator: ",").map(String.init)) }
        var specimens = Specimens.all()
        if let wanted {
            let unknown = wanted.subtracting(specimens.map(\.name))
            guard unknown.isEmpty else {
                throw ValidationError("unknown specimen \(unknown.sorted().joined(separator: ", ")); known: "
                                      + specimens.map(\.name).joined(separator: ", "))
            }
            specimens = specimens.filter { wanted.contains($0.name) }
        }
        let formats: [OutputFormat] = svg ? [.png, .pdf, .svg] : [.png, .pdf]
        for (i, s) in specimens.enumerated() {
            let written = try s.chart.render(basePath: out + "/" + s.name, formats: formats, dpi: dpi)
            print("[\(i + 1)/\(specimens.count)] \(s.name): " + written.map { ($0 as NSString).lastPathComponent }
                .joined(separator: ", "))
        }
        print("gallery: \(specimens.count) figures × \(formats.count) formats in \(out)/")
    }
}

/// A figure drawn from plain data: every chart type is a value that knows how to draw itself into
/// a rectangle of a canvas, so that charts compose into multi-panel figures.
public protocol Chart: Sendable {
    /// A sensible size for the chart alone (points).
    var preferredSize: Size { get }
    /// Checks the data; throws `ChartError.invalidData` saying what is wrong.
    func validate() throws
    /// Draws into `rect` (points) of `canvas`.
    func draw(on canvas: Canvas, in rect: Rect)
}

extension Chart {
    public var preferredSize: Size { Size(width: 360, height: 270) }
    public func validate() throws {}

    /// Renders the chart alone to `path` (.png, .pdf or .svg). The file appears only when complete.
    public func render(to path: String, size: Size? = nil, dpi: Double = 200, theme: Theme = .standard) throws {
        try validate()
        let s = size ?? preferredSize
        let canvas = try Canvas(path: path, size: s, dpi: dpi, theme: theme)
        draw(on: canvas, in: Rect(x: 0, y: 0, width: s.width, height: s.height))
        try canvas.finish()
    }

    /// Renders the chart to each of `formats` as `<basePath>.<ext>`; returns the paths written.
    @discardableResult
    public func render(basePath: String, formats: [OutputFormat] = [.png, .pdf], size: Size? = nil,
                       dpi: Double = 200, theme: Theme = .standard) throws -> [String] {
        try formats.map { f in
            let p = basePath + "." + f.rawValue
            try render(to: p, size: size, dpi: dpi, theme: theme)
            return p
        }
    }
}

/// Several charts in a grid, each with a panel letter — the studies' "(a)–(h)" layouts.
public struct PanelFigure: Chart {
    public var panels: [any Chart]
    public var columns: Int
    public var letters: Bool
    public var panelSize: Size

    public init(_ panels: [any Chart], columns: Int, letters: Bool = true, panelSize: Size? = nil) {
        self.panels = panels
        self.columns = max(1, columns)
        self.letters = letters
        self.panelSize = panelSize ?? panels.first?.preferredSize ?? Size(width: 300, height: 225)
    }

    public var rows: Int { (panels.count + columns - 1) / columns }
    public var preferredSize: Size {
        Size(width: panelSize.width * Double(min(columns, panels.count)), height: panelSize.height * Double(rows))
    }

    public func validate() throws {
        guard !panels.isEmpty else { throw ChartError.invalidData(chart: "panel figure", reason: "no panels") }
        for p in panels { try p.validate() }
    }

    /// "(a)", "(b)", … "(z)", "(aa)", …
    public static func letter(_ i: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        var n = i, s = ""
        repeat { s = String(alphabet[n % 26]) + s; n = n / 26 - 1 } while n >= 0
        return "(\(s))"
    }

    public func draw(on canvas: Canvas, in rect: Rect) {
        let cols = min(columns, panels.count)
        let w = rect.width / Double(cols), h = rect.height / Double(rows)
        for (i, chart) in panels.enumerated() {
            let cell = Rect(x: rect.minX + Double(i % cols) * w, y: rect.minY + Double(i / cols) * h, width: w, height: h)
            if letters {
                let t = canvas.theme
                canvas.text(Self.letter(i), at: Point(cell.minX + 4, cell.minY + 4), size: t.panelLetterSize, bold: true,
                            align: .left, vAlign: .top)
                chart.draw(on: canvas, in: cell.inset(top: 0, left: 14, bottom: 0, right: 0))
            } else {
                chart.draw(on: canvas, in: cell)
            }
        }
    }
}

extension Canvas {
    /// Draws a chart's title centred at the top of `rect` (if any) and returns the area left for the
    /// chart, inside the theme's margin.
    public func drawTitle(_ title: String?, in rect: Rect) -> Rect {
        let area = rect.inset(by: theme.margin)
        guard let title, !title.isEmpty else { return area }
        text(title, at: Point(rect.midX, rect.minY + theme.margin), size: theme.titleSize, bold: true, align: .center,
             vAlign: .top)
        return area.inset(top: theme.titleSize * 1.6)
    }
}

import CCairo
import Foundation

/// The file formats a figure is written in.
public enum OutputFormat: String, Sendable, CaseIterable {
    case png, pdf, svg

    /// The format named by a path's extension.
    public init?(path: String) {
        self.init(rawValue: (path as NSString).pathExtension.lowercased())
    }
}

public enum ChartError: Error, CustomStringConvertible, Equatable {
    case unknownFormat(path: String)
    case cairo(path: String, status: String)
    case cannotWrite(path: String, reason: String)
    case invalidData(chart: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownFormat(path): "\(path): unknown figure format; use a .png, .pdf or .svg file name"
        case let .cairo(path, status): "\(path): Cairo could not draw the figure (\(status))"
        case let .cannotWrite(path, reason): "\(path): cannot write the figure (\(reason))"
        case let .invalidData(chart, reason): "\(chart): \(reason)"
        }
    }
}

/// Horizontal and vertical anchoring of text relative to its position.
public enum HAlign: Sendable { case left, center, right }
public enum VAlign: Sendable { case baseline, top, middle, bottom }

/// A drawing surface over Cairo, measured in points with the origin at the top-left.
///
/// PNG is rendered at `dpi` (the context is scaled so that drawing code never sees pixels); PDF and
/// SVG are vector. Text uses Cairo's font API with hinting off, so glyph metrics and therefore layout
/// are identical in every format and on every screen. Output is reproducible byte for byte: the PDF
/// creation date is fixed (it would otherwise be the wall-clock time).
public final class Canvas {
    public let size: Size
    public let format: OutputFormat
    public let theme: Theme
    let surface: OpaquePointer
    let cr: OpaquePointer
    let finalPath: String
    let workingPath: String
    let pixelScale: Double
    private var finished = false

    /// Opens a canvas that will be written to `path` (format from its extension) by `finish()`.
    /// The file appears only when complete: drawing goes to a temporary file beside it.
    public init(path: String, size: Size, dpi: Double = 200, theme: Theme = .standard) throws {
        guard let format = OutputFormat(path: path) else { throw ChartError.unknownFormat(path: path) }
        self.size = size
        self.format = format
        self.theme = theme
        self.finalPath = path
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        self.workingPath = (dir.isEmpty ? "" : dir + "/") + ".\(base).partial-\(getpid())"
        switch format {
        case .png:
            pixelScale = dpi / 72
            let w = Int32((size.width * pixelScale).rounded()), h = Int32((size.height * pixelScale).rounded())
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)
        case .pdf:
            pixelScale = 1
            surface = cairo_pdf_surface_create(workingPath, size.width, size.height)
            // Reproducible files: a fixed creation date instead of "now".
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z")
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "landslide-harness Charts")
        case .svg:
            pixelScale = 1
            surface = cairo_svg_surface_create(workingPath, size.width, size.height)
            cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
        }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw ChartError.cannotWrite(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
        cr = cairo_create(surface)
        if format == .png { cairo_scale(cr, pixelScale, pixelScale) }
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        // White page.
        setColor(.white)
        cairo_rectangle(cr, 0, 0, size.width, size.height)
        cairo_fill(cr)
    }

    deinit {
        if !finished {
            cairo_destroy(cr)
            cairo_surface_finish(surface)
            cairo_surface_destroy(surface)
            unlink(workingPath)
        }
    }

    /// Writes the file and closes the canvas.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        var status = cairo_status(cr)
        cairo_destroy(cr)
        if status == CAIRO_STATUS_SUCCESS, format == .png {
            status = cairo_surface_write_to_png(surface, workingPath)
        }
        cairo_surface_finish(surface)
        if status == CAIRO_STATUS_SUCCESS { status = cairo_surface_status(surface) }
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            unlink(workingPath)
            throw ChartError.cairo(path: finalPath, status: String(cString: cairo_status_to_string(status)))
        }
        if format == .svg {
            do { try Self.renumberSVGIdentifiers(atPath: workingPath) } catch {
                unlink(workingPath)
                throw ChartError.cannotWrite(path: finalPath, reason: "\(error)")
            }
        }
        guard rename(workingPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(workingPath)
            throw ChartError.cannotWrite(path: finalPath, reason: reason)
        }
    }

    /// Cairo names SVG elements for images and surfaces by a counter global to the process, so the
    /// same drawing would get different ids depending on what was drawn before. Renumbering them in
    /// order of appearance makes the file a function of the drawing alone.
    static func renumberSVGIdentifiers(atPath path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let regex = try NSRegularExpression(pattern: "(id=\"|#)(surface|image)([0-9]+)")
        let ns = text as NSString
        var renamed: [String: Int] = [:]
        var next: [String: Int] = [:]
        var out = ""
        var last = 0
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let kind = ns.substring(with: m.range(at: 2))
            let key = kind + ns.substring(with: m.range(at: 3))
            let number: Int
            if let n = renamed[key] { number = n } else {
                number = next[kind, default: 1]
                next[kind] = number + 1
                renamed[key] = number
            }
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            out += ns.substring(with: m.range(at: 1)) + kind + String(number)
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        try out.write(toFile: path, atomically: false, encoding: .utf8)
    }

    // MARK: State

    public func save() { cairo_save(cr) }
    public func restore() { cairo_restore(cr) }
    public func clip(to rect: Rect) {
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
    }
    public func translate(_ dx: Double, _ dy: Double) { cairo_translate(cr, dx, dy) }
    public func rotate(radians: Double) { cairo_rotate(cr, radians) }

    public func setColor(_ c: Color) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }

    // MARK: Paths

    public func move(to p: Point) { cairo_move_to(cr, p.x, p.y) }
    public func line(to p: Point) { cairo_line_to(cr, p.x, p.y) }
    public func closePath() { cairo_close_path(cr) }
    public func newPath() { cairo_new_path(cr) }
    public func addRect(_ r: Rect) { cairo_rectangle(cr, r.x, r.y, r.width, r.height) }
    public func addCircle(center: Point, radius: Double) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, center.x, center.y, radius, 0, 2 * .pi)
    }
    public func addPolyline(_ points: [Point], closed: Bool = false) {
        guard let first = points.first else { return }
        move(to: first)
        for p in points.dropFirst() { line(to: p) }
        if closed { closePath() }
    }

    /// Strokes the current path.
    public func stroke(_ color: Color, width: Double, dash: [Double] = [], preserve: Bool = false) {
        setColor(color)
        cairo_set_line_width(cr, width)
        if dash.isEmpty {
            cairo_set_dash(cr, nil, 0, 0)
        } else {
            dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        }
        preserve ? cairo_stroke_preserve(cr) : cairo_stroke(cr)
    }

    /// Fills the current path.
    public func fill(_ color: Color, preserve: Bool = false) {
        setColor(color)
        preserve ? cairo_fill_preserve(cr) : cairo_fill(cr)
    }

    /// A straight segment.
    public func strokeLine(_ a: Point, _ b: Point, color: Color, width: Double, dash: [Double] = []) {
        newPath(); move(to: a); line(to: b)
        stroke(color, width: width, dash: dash)
    }

    public func fillRect(_ r: Rect, _ color: Color) { newPath(); addRect(r); fill(color) }
    public func strokeRect(_ r: Rect, _ color: Color, width: Double) { newPath(); addRect(r); stroke(color, width: width) }

    // MARK: Text

    /// Width of `text` in points at the given size.
    public func textWidth(_ text: String, size: Double, bold: Bool = false) -> Double {
        selectFont(size: size, bold: bold)
        var ext = cairo_text_extents_t()
        cairo_text_extents(cr, text, &ext)
        return ext.x_advance
    }

    /// Draws one line of text anchored at `p`, optionally rotated (counter-clockwise, degrees) about `p`.
    public func text(_ text: String, at p: Point, size: Double, color: Color? = nil, bold: Bool = false,
                     align: HAlign = .left, vAlign: VAlign = .baseline, rotationDegrees: Double = 0) {
        guard !text.isEmpty else { return }
        selectFont(size: size, bold: bold)
        var ext = cairo_text_extents_t()
        cairo_text_extents(cr, text, &ext)
        let dx: Double = switch align {
        case .left: 0
        case .center: -ext.x_advance / 2
        case .right: -ext.x_advance
        }
        // Vertical anchors use the font's nominal cap height and descent (DejaVu: 0.73 and 0.24 em)
        // rather than each string's ink, so that labels in a row share a baseline.
        let dy: Double = switch vAlign {
        case .baseline: 0
        case .top: 0.73 * size
        case .middle: 0.365 * size
        case .bottom: -0.24 * size
        }
        save()
        translate(p.x, p.y)
        if rotationDegrees != 0 { rotate(radians: -rotationDegrees * .pi / 180) }
        setColor(color ?? theme.textColor)
        newPath()
        cairo_move_to(cr, dx, dy)
        cairo_show_text(cr, text)
        restore()
    }

    private func selectFont(size: Double, bold: Bool) {
        cairo_select_font_face(cr, theme.fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    // MARK: Images

    /// Paints an image of `width` × `height` pixels (rows top to bottom, colours as 0xAARRGGBB,
    /// premultiplied alpha) stretched over `rect`, each pixel a sharp square (nearest-neighbour).
    public func drawImage(argb pixels: [UInt32], width: Int, height: Int, in rect: Rect) {
        guard width > 0, height > 0, pixels.count == width * height else { return }
        let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        defer { cairo_surface_destroy(image) }
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image))
        guard let data = cairo_image_surface_get_data(image) else { return }
        pixels.withUnsafeBufferPointer { src in
            for r in 0..<height {
                let row = UnsafeMutableRawPointer(data + r * stride).assumingMemoryBound(to: UInt32.self)
                row.update(from: src.baseAddress! + r * width, count: width)
            }
        }
        cairo_surface_mark_dirty(image)
        save()
        newPath()
        addRect(rect)
        cairo_clip(cr)
        translate(rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(width), rect.height / Double(height))
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD)
        cairo_paint(cr)
        restore()
    }

    /// Pixels per point of the output: the PNG's dpi / 72, or 1 for vector formats.
    public var pixelsPerPoint: Double { pixelScale }
}

extension Color {
    /// Premultiplied 0xAARRGGBB, as Cairo's ARGB32 image format stores it.
    public var premultipliedARGB: UInt32 {
        let a = min(1, max(0, alpha))
        func ch(_ v: Double) -> UInt32 { UInt32((min(1, max(0, v)) * a * 255).rounded()) }
        return (UInt32((a * 255).rounded()) << 24) | (ch(red) << 16) | (ch(green) << 8) | ch(blue)
    }
}

import Foundation
import Testing
@testable import Imaging

/// Bit-exact agreement with OpenCV (opencv-python-headless; Tests/Fixtures/make_imaging_fixtures.py) on
/// seeded random images of odd and even sizes: 27 morphology cases (rectangle, ellipse and cross elements
/// of sizes 1×1 to 5×9, odd, even and non-square; erode, dilate, open, close; binary and 8-bit), median
/// blur 3 and 5, Gaussian blur 3, 5, 7 and 9 (σ = 0), histogram equalisation, thresholds 0.5 and 0.9, and connected-component areas.
@Suite struct OpenCVFixtureTests {
    struct Case: Decodable {
        let kind: String
        let op: String?
        let shape: String?
        let width: Int?
        let height: Int?
        let size: Int?
        let rows: Int
        let cols: Int
        let input: [UInt8]?
        let inputFloat: [Float]?
        let output: [UInt8]?
        let element: [UInt8]?
        let threshold: Float?
        let connectivity: Int?
        let areas: [Int]?
    }

    struct Fixture: Decodable { let cases: [Case] }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/opencv_cases.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(Fixture.self, from: Data(contentsOf: url)).cases
    }()

    @Test func enoughCases() {
        #expect(Self.cases.filter { $0.kind == "morphology" }.count >= 20)
    }

    @Test(arguments: cases.indices.filter { cases[$0].kind == "morphology" })
    func morphology(index: Int) throws {
        let c = Self.cases[index]
        let element = StructuringElement(ElementShape(rawValue: c.shape!)!, width: c.width!, height: c.height!)
        #expect(element.mask == c.element!.map { $0 != 0 }, "element \(c.shape!) \(c.width!)×\(c.height!)")
        let input = c.input!
        let out: [UInt8]
        switch c.op! {
        case "erode": out = Morphology.erode(input, rows: c.rows, cols: c.cols, element: element)
        case "dilate": out = Morphology.dilate(input, rows: c.rows, cols: c.cols, element: element)
        case "open": out = Morphology.open(input, rows: c.rows, cols: c.cols, element: element)
        default: out = Morphology.close(input, rows: c.rows, cols: c.cols, element: element)
        }
        #expect(out == c.output!, "\(c.op!) \(c.shape!) \(c.width!)×\(c.height!)")
    }

    /// The row-run passes on Float maps (how the harness cleans susceptibility maps, nodata as ±∞) equal
    /// the cell-by-cell definition that the 8-bit fixtures hold to OpenCV, for every shape and odd, even and
    /// non-square sizes.
    @Test func floatMapsTakeTheSameExtremesAsTheDefinition() {
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Float(state >> 40) / Float(1 << 24)
            return u < 0.05 ? .infinity : u < 0.1 ? -.infinity : u
        }
        let (rows, cols) = (37, 53)
        let image = (0..<(rows * cols)).map { _ in next() }
        for shape in ElementShape.allCases {
            for (w, h) in [(1, 1), (3, 3), (5, 3), (2, 4), (7, 5), (4, 9)] {
                let e = StructuringElement(shape, width: w, height: h)
                #expect(Morphology.erode(image, rows: rows, cols: cols, element: e)
                        == Morphology.direct(image, rows: rows, cols: cols, element: e, minimum: true), "erode \(shape) \(w)×\(h)")
                #expect(Morphology.dilate(image, rows: rows, cols: cols, element: e)
                        == Morphology.direct(image, rows: rows, cols: cols, element: e, minimum: false), "dilate \(shape) \(w)×\(h)")
            }
        }
    }

    @Test func filtersThresholdAndRegions() {
        for c in Self.cases {
            switch c.kind {
            case "gaussian":
                #expect(gaussianBlur(c.input!, rows: c.rows, cols: c.cols, size: c.size!) == c.output!, "Gaussian \(c.size!)")
            case "median":
                #expect(medianBlur(c.input!, rows: c.rows, cols: c.cols, size: c.size!) == c.output!, "median \(c.size!)")
            case "equalize":
                #expect(equalizeHistogram(c.input!) == c.output!)
            case "threshold":
                #expect(binaryThreshold(c.inputFloat!, threshold: c.threshold!) == c.output!)
            case "components":
                let (_, areas) = Regions.label(c.input!, rows: c.rows, cols: c.cols, eightConnected: c.connectivity == 8)
                #expect(areas.dropFirst().sorted() == c.areas!, "\(c.connectivity!)-connectivity")
            default:
                continue
            }
        }
    }

    /// Removing small regions keeps exactly the regions at or above the size.
    @Test func removeSmallRegions() {
        let mask: [UInt8] = [1, 1, 0, 0, 1,
                             1, 0, 0, 0, 0,
                             0, 0, 1, 0, 0,
                             0, 0, 0, 0, 1]
        let cleaned = Regions.removeSmall(mask, rows: 4, cols: 5, minimumArea: 3)
        #expect(cleaned == [1, 1, 0, 0, 0,
                            1, 0, 0, 0, 0,
                            0, 0, 0, 0, 0,
                            0, 0, 0, 0, 0])
    }
}

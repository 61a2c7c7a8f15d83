import CBLAS
import CCairo
import CLAPACKE
import Foundation
import Testing

/// The C libraries behind the system-library targets link and compute: each checked on a case with
/// a known answer, not merely called.
@Suite struct SystemLibraryTests {
    /// C = A·B for a 2 × 3 by 3 × 2 product, computed by hand: [[58, 64], [139, 154]].
    @Test func openBLASMultipliesMatrices() {
        let a: [Double] = [1, 2, 3, 4, 5, 6]
        let b: [Double] = [7, 8, 9, 10, 11, 12]
        var c = [Double](repeating: 0, count: 4)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, &c, 2)
        #expect(c == [58, 64, 139, 154])
    }

    /// Solves [[4, 1], [2, 3]] x = [1, 2]: x = (0.1, 0.6).
    @Test func lapackeSolvesALinearSystem() {
        var a: [Double] = [4, 1, 2, 3]
        var b: [Double] = [1, 2]
        var pivots = [Int32](repeating: 0, count: 2)
        let info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, 2, 1, &a, 2, &pivots, &b, 1)
        #expect(info == 0)
        #expect(abs(b[0] - 0.1) < 1e-15 && abs(b[1] - 0.6) < 1e-15)
    }

    /// Cairo fills a 4 × 4 ARGB image with opaque red; every pixel reads back as 0xFFFF0000.
    @Test func cairoRendersIntoAnImage() {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4)
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)
        cairo_set_source_rgb(context, 1, 0, 0)
        cairo_paint(context)
        cairo_destroy(context)
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        let pixel = UnsafeRawPointer(data).load(fromByteOffset: 2 * stride + 8, as: UInt32.self)
        #expect(pixel == 0xFFFF_0000)
        #expect(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS)
    }
}

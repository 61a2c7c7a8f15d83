import CBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which OpenBLAS kernels run the GEMMs (issue G7).
///
/// OpenBLAS picks its kernels from the CPU's model when it loads. On virtual machines whose CPU
/// reports a generic model ("Intel(R) Xeon(R) Processor") it falls back to its Prescott (SSE3) kernels
/// although the CPU has AVX-512: measured on this project's 2-core machines, `nn-bench --dense-only`
/// took 20.7 s of CPU with Prescott kernels and 10.8 s with SkylakeX ones (same output to 1e-6). It
/// reads `OPENBLAS_CORETYPE` only when it loads, so the only way to change the kernels of a running
/// program is to run it again with that variable set.
public enum BLASCore {
    /// The kernels OpenBLAS is using (e.g. "Prescott", "SkylakeX", "Haswell").
    public static var name: String { String(cString: openblas_get_corename()) }

    /// The newest OpenBLAS core type this CPU's instruction-set flags allow (from /proc/cpuinfo):
    /// SkylakeX with AVX-512 F/BW/DQ/VL, Haswell with AVX2 and FMA; nil otherwise or when unknown.
    public static var bestForThisCPU: String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(line.split(separator: " ").map(String.init))
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
        return nil
    }

    /// Cores older than any CPU with AVX2: what OpenBLAS falls back to when it does not know the model.
    static let fallbacks: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "unknown"]

    /// Whether OpenBLAS fell back to kernels older than the CPU supports.
    public static var isFallback: Bool { fallbacks.contains(name.lowercased()) && bestForThisCPU != nil }

    /// Unless `LANDSLIDE_BLAS_CORE=as-is` is in the environment (or `OPENBLAS_CORETYPE` is set already):
    /// when OpenBLAS fell back to old kernels, sets `OPENBLAS_CORETYPE` to ``bestForThisCPU`` and runs this
    /// program again with the same arguments (the replacement inherits the variable, and so do its child
    /// processes). Returns when nothing is to be done. Results differ from the fallback kernels' only in
    /// rounding (GEMM sums in another order), as between any two BLAS builds.
    public static func adoptBestCore() {
        guard ProcessInfo.processInfo.environment["LANDSLIDE_BLAS_CORE"] != "as-is",
              ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              isFallback, let best = bestForThisCPU else { return }
        setenv("OPENBLAS_CORETYPE", best, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv returns only on failure: carry on with the kernels there are.
    }
}

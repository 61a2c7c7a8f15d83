import Foundation
import Testing
import TestSupport

/// Outputs on a disk that fills up or cannot be written: one line `error: …` saying so, a non-zero exit,
/// and nothing left behind — no empty or partial folder, no staging file. Real file systems: a 256 kB
/// tmpfs and a read-only tmpfs, mounted for the test (root only) and unmounted after.
@Suite(.enabled(if: getuid() == 0, "mounts tmpfs file systems: needs root"))
struct FullDiskTests {
    /// Mounts a tmpfs with `options` on a fresh folder, runs `body` with it, unmounts.
    func withTmpfs(_ options: String, _ body: (String) throws -> Void) throws {
        let dir = try TemporaryDirectory()
        let mount = try runProcess("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir.url.path])
        try #require(mount.status == 0, "mount: \(mount.stderr)")
        defer { _ = try? runProcess("umount", [dir.url.path]) }
        try body(dir.url.path)
    }

    func expectCleanFailure(_ result: ProcessResult, mentions: String, in folder: String) throws {
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(result.status != 0 && !result.signalled)
        #expect(lines.last?.hasPrefix("error: ") == true && lines.filter { $0.hasPrefix("error: ") }.count == 1, "\(result.stderr)")
        #expect(lines.last?.contains(mentions) == true, "\(lines.last ?? "")")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain="))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "left behind")
    }

    @Test func twinOnAFullDisk() throws {
        try withTmpfs("size=256k") { root in
            let r = try landslide(["twin", "--out", "\(root)/twin"])
            try expectCleanFailure(r, mentions: "the device is full", in: root)
        }
    }

    @Test func twinOnAReadOnlyDisk() throws {
        try withTmpfs("size=1m,ro") { root in
            let r = try landslide(["twin", "--out", "\(root)/twin"])
            try expectCleanFailure(r, mentions: "Read-only file system", in: root)
        }
    }

    @Test(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
    func resultsJSONOnAFullDisk() throws {
        try withTmpfs("size=64k") { root in
            // Fill it, then ask for a results file there.
            _ = FileManager.default.createFile(atPath: "\(root)/fill", contents: Data(count: 60 * 1024))
            let r = try landslide(["info", TestPaths.lojaConfig, "--out", "\(root)/info.json"])
            #expect(r.status != 0)
            #expect(r.stderr.contains("No space left on device"), "\(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["fill"], "no partial file left")
        }
    }
}

// Prints the speed-target table (issue G7) from the rows the benchmarks wrote with `--targets DIR`.
//
//   bench-table DIR
import BenchTargets
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 1, !arguments[0].hasPrefix("-") else {
    print("usage: bench-table DIR   (the folder the benchmarks' --targets wrote to)")
    exit(arguments.first == "-h" || arguments.first == "--help" ? 0 : 2)
}
do {
    let rows = try TargetTable.read(directory: arguments[0])
    print("Speed targets (issue G7), \(ProcessInfo.processInfo.activeProcessorCount) cores; ratio = peer time / our time, same run")
    print(TargetTable.markdown(rows))
    let missed = rows.filter { !$0.met }.count
    print("\(rows.count - missed) of \(rows.count) targets met")
} catch {
    FileHandle.standardError.write(Data("error: bench-table: cannot read the target rows in \(arguments[0]): \(error.localizedDescription)\n".utf8))
    exit(1)
}

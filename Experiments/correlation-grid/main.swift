// correlation-grid: Study A's Figs. 15–18 and Table 4 — UN, CN, UL, CL (c′ and φ′ random,
// uncorrelated or ρ = −0.3, normal or lognormal). A thin command over ExperimentKit.ScenarioSweep.
import ArgumentParser
import Foundation
import ExperimentKit
import StudyCore

@main
struct CorrelationGrid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlation-grid",
        abstract: "Study A's correlation/distribution grid (UN, CN, UL, CL): the COV sweep's products (Table 4).")
    @OptionGroup var common: ExperimentOptions
    @OptionGroup(title: "Study A's settings") var studyA: StudyAFlags
    func run() { common.runSweep(experiment: "correlation-grid", scenarios: Scenario.correlationGrid, studyA: studyA.settings) }
}

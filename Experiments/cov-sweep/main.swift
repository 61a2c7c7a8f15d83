// cov-sweep: Study A's Figs. 11–14 and Table 3 — PPM and PPM-CNN at COV 0.01, 0.10, 0.20, 0.30.
// A thin command over ExperimentKit.ScenarioSweep.
import ArgumentParser
import Foundation
import ExperimentKit
import StudyCore

@main
struct CovSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cov-sweep",
        abstract: "Study A's COV sweep: PPM and PPM-CNN maps, class tables (Table 3), NSV histograms, very-high-class plots.")
    @OptionGroup var common: ExperimentOptions
    @OptionGroup(title: "Study A's settings") var studyA: StudyAFlags
    func run() { common.runSweep(experiment: "cov-sweep", scenarios: Scenario.covSweep, studyA: studyA.settings) }
}

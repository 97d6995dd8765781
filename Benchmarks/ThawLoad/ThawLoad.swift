import ArgumentParser

@main
struct ThawLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thaw-load",
        abstract: "Seed a database with many referrals, then drive the referral life cycle over HTTP and report.",
        subcommands: [
            Seed.self, Run.self, StoreRun.self, SQLFloor.self, PGFloor.self, HTTPFloor.self, Pages.self, ClimatePages.self, FHIRRun.self,
            DirectorySearchRun.self
        ])
}

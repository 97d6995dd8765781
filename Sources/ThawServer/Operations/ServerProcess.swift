import Foundation

/// This server process among several: its host and process id, as logs and shared records name it.
enum ServerProcess {
    static let name = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
}

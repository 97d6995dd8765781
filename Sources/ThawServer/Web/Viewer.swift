import ThawStorage

/// What the page being drawn knows of the person reading it, set once per
/// request by `WebSessionMiddleware` so every view, however deep, shows times
/// the same way without each being handed it.
enum Viewer {
    /// The viewer's organisation's time zone, else the network's.
    @TaskLocal static var calendar = LocalCalendar.utc
    /// The language the viewer reads: theirs, else English.
    @TaskLocal static var language = Language.en
    /// The path of the page being drawn, for forms that come back to it (the language switch).
    @TaskLocal static var path = "/"
}

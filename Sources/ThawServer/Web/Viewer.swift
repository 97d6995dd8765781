import ThawStorage

/// What the page being drawn knows of the person reading it, set once per
/// request by `WebSessionMiddleware` so every view, however deep, shows times
/// the same way without each being handed it.
enum Viewer {
    /// The viewer's organisation's time zone, else the network's.
    @TaskLocal static var calendar = LocalCalendar.utc
}

import ThawCore

/// What a form page needs to show again after a failed submit: what was typed
/// and, per field, what was wrong.
struct FormState: Sendable {
    var form = WebForm(fields: [:])
    var errors: [String: String] = [:]

    init() {}
    init(form: WebForm, violations: [Violation] = []) {
        self.form = form
        for violation in violations where errors[violation.field] == nil { errors[violation.field] = Self.words(for: violation) }
    }

    /// What a page says about a broken rule, next to the field's own label: the store's message
    /// names the field as the API does ("givenName is required…"), which a page need not.
    static func words(for violation: Violation) -> String {
        switch violation.rule {
        case "required" where violation.message.hasSuffix("is required and may not be blank"): return "This is required and may not be blank"
        case "max-length" where violation.message.contains("may be at most"): return "This is too long"
        default: return violation.message
        }
    }
    func value(_ name: String, default fallback: String = "") -> String { form.all(name).first ?? fallback }
    func values(_ name: String) -> [String] { form.all(name) }
    var hasErrors: Bool { !errors.isEmpty }

    /// The state of the form whose `action` is given: what was typed and what was wrong, when it is
    /// the one that failed; empty otherwise.
    static func of(_ action: String, failed: (action: String, state: FormState)?) -> FormState {
        guard let failed, failed.action == action else { return FormState() }
        return failed.state
    }
}

/// Small pieces of markup used across pages. Each control has a label, and an
/// error is written next to the field it belongs to and tied to it with
/// aria-describedby.
enum Components {
    static func csrfField(_ token: String?) -> HTML {
        guard let token else { return .empty }
        return "<input type=\"hidden\" name=\"_csrf\" value=\"\(token)\">"
    }

    static func hidden(_ name: String, _ value: String) -> HTML {
        "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">"
    }

    private static func described(_ id: String, hint: Phrase?, error: String?) -> (attributes: HTML, after: HTML) {
        var ids: [String] = []
        var after: [HTML] = []
        if let hint { ids.append(id + "-hint"); after.append("<p class=\"hint\" id=\"\(id)-hint\">\(hint.text)</p>") }
        if let error {
            ids.append(id + "-error")
            after.append("<p class=\"field-error\" id=\"\(id)-error\"><span aria-hidden=\"true\">⚠ </span>\(sayIfKnown(error))</p>")
        }
        let attributes: HTML =
            ids.isEmpty
            ? .empty
            : " aria-describedby=\"\(ids.joined(separator: " "))\"\(HTML.attribute("aria-invalid=\"true\"", if: error != nil))"
        return (attributes, HTML(joining: after))
    }

    static func textField(
        _ name: String, _ label: Phrase, state: FormState, type: String = "text", required: Bool = false,
        hint: Phrase? = nil, autocomplete: String? = nil, value: String? = nil, idSuffix: String = ""
    ) -> HTML {
        let id = "f-" + name + idSuffix
        let (attributes, after) = described(id, hint: hint, error: state.errors[name])
        let auto: HTML = autocomplete.map { " autocomplete=\"\($0)\"" } ?? .empty
        return """
            <div class="field\(state.errors[name] != nil ? HTML(raw: " has-error") : .empty)">
            <label for="\(id)">\(label.text)\(required ? HTML(stringLiteral: " <span class=\"required\">(required)</span>") : .empty)</label>
            <input id="\(id)" name="\(name)" type="\(type)" value="\(value ?? state.value(name))"\(HTML.attribute("required", if: required))\(auto)\(attributes)>
            \(after)
            </div>
            """
    }

    static func textArea(
        _ name: String, _ label: Phrase, state: FormState, required: Bool = false, hint: Phrase? = nil, rows: Int = 3,
        idSuffix: String = ""
    ) -> HTML {
        let id = "f-" + name + idSuffix
        let (attributes, after) = described(id, hint: hint, error: state.errors[name])
        return """
            <div class="field\(state.errors[name] != nil ? HTML(raw: " has-error") : .empty)">
            <label for="\(id)">\(label.text)\(required ? HTML(stringLiteral: " <span class=\"required\">(required)</span>") : .empty)</label>
            <textarea id="\(id)" name="\(name)" rows="\(rows)"\(HTML.attribute("required", if: required))\(attributes)>\(state.value(name))</textarea>
            \(after)
            </div>
            """
    }

    static func select(
        _ name: String, _ label: Phrase, state: FormState, options: [(value: String, label: Phrase)],
        selected: String? = nil, required: Bool = false, hint: Phrase? = nil, idSuffix: String = ""
    ) -> HTML {
        let id = "f-" + name + idSuffix
        let current = state.form.all(name).first ?? selected ?? ""
        let (attributes, after) = described(id, hint: hint, error: state.errors[name])
        let opts = options.map { option -> HTML in
            "<option value=\"\(option.value)\"\(HTML.attribute("selected", if: option.value == current))>\(option.label.text)</option>"
        }
        return """
            <div class="field\(state.errors[name] != nil ? HTML(raw: " has-error") : .empty)">
            <label for="\(id)">\(label.text)\(required ? HTML(stringLiteral: " <span class=\"required\">(required)</span>") : .empty)</label>
            <select id="\(id)" name="\(name)"\(HTML.attribute("required", if: required))\(attributes)>\(opts)</select>
            \(after)
            </div>
            """
    }

    static func checkboxes(
        _ name: String, _ legend: Phrase, state: FormState, options: [(value: String, label: Phrase)],
        checked: Set<String>, idSuffix: String = ""
    ) -> HTML {
        let chosen = state.form.all(name).isEmpty ? checked : Set(state.values(name))
        let boxes = options.map { option -> HTML in
            let id = "f-\(name)-\(option.value)\(idSuffix)"
            return
                "<span class=\"check\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(name)\" value=\"\(option.value)\"\(HTML.attribute("checked", if: chosen.contains(option.value)))> <label for=\"\(id)\">\(option.label.text)</label></span>"
        }
        let error: HTML = state.errors[name].map { "<p class=\"field-error\"><span aria-hidden=\"true\">⚠ </span>\(sayIfKnown($0))</p>" } ?? .empty
        return "<fieldset class=\"field checks\"><legend>\(legend.text)</legend>\(boxes)\(error)</fieldset>"
    }

    /// A list of every error at the top of a form, each linking to its field.
    static func errorSummary(_ state: FormState, idSuffix: String = "") -> HTML {
        guard state.hasErrors else { return .empty }
        let items = state.errors.sorted { $0.key < $1.key }.map { field, message -> HTML in
            "<li><a href=\"#f-\(field)\(idSuffix)\">\(sayIfKnown(message))</a></li>"
        }
        return """
            <div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2><ul>\(items)</ul></div>
            """
    }

    static func options<E: RawRepresentable & CaseIterable>(_ type: E.Type, label: (E) -> String) -> [(value: String, label: Phrase)]
    where E.RawValue == String {
        E.allCases.map { ($0.rawValue, Phrase(said: label($0))) }
    }

    // MARK: status and time

    /// Status as words with a shape; the colour only repeats what the text says.
    static func statusBadge(_ status: TaskStatus) -> HTML {
        "<span class=\"badge status-\(status)\"><span aria-hidden=\"true\">\(statusSymbol(status)) </span>\(Words.status(status))</span>"
    }

    static func statusSymbol(_ status: TaskStatus) -> String {
        switch status {
        case .draft: return "✎"
        case .requested: return "●"
        case .accepted: return "✓"
        case .inProgress: return "➜"
        case .onHold: return "❚❚"
        case .completed: return "✔"
        case .rejected, .failed: return "✕"
        case .cancelled, .enteredInError: return "–"
        }
    }

    static func capacityBadge(_ capacity: Capacity) -> HTML {
        "<span class=\"badge capacity-\(capacity)\">\(Words.capacity(capacity))</span>"
    }

    static func time(_ timestamp: Timestamp) -> HTML {
        "<time datetime=\"\(timestamp.description)\">\(Words.dateTime(timestamp))</time>"
    }

    static func date(_ date: CalendarDate) -> HTML {
        "<time datetime=\"\(date.description)\">\(Words.date(date))</time>"
    }

    /// The viewer's day a moment falls on.
    static func day(_ timestamp: Timestamp) -> HTML { date(Viewer.calendar.day(of: timestamp)) }

    /// The day something is due by. Dues are kept as the end of their day (local midnight),
    /// which is the first moment of the next, so the day shown is the one just before it.
    static func dueDay(_ due: Timestamp) -> HTML { day(Timestamp(millis: due.millis - 1)) }

    /// A follow-up as its day: "today", "on 9 Dec 2026", or overdue since the day it fell due.
    static func followUp(_ due: Timestamp, now: Timestamp) -> HTML {
        let today = Viewer.calendar.followUpDay(now)
        if due > today.through { return "due \(dueDay(due))" }
        if due > today.after { return "<strong>due today</strong>" }
        return "<span class=\"overdue\"><span aria-hidden=\"true\">⚑ </span>overdue since \(dueDay(due))</span>"
    }

    /// "due in 2 days" or "overdue by 3 hours", with the exact time underneath.
    static func due(_ timestamp: Timestamp, now: Timestamp) -> HTML {
        let words = Words.relative(timestamp, now: now)
        return timestamp < now
            ? "<span class=\"overdue\"><span aria-hidden=\"true\">⚑ </span>overdue by \(words)</span>"
            : "<span>in \(words)</span>"
    }
}

/// The text and HTML bodies of a digest (before transfer encoding).
enum DigestBodies {
    static func text(items: [DigestItem], links: [String], unsubscribe: String?) -> String {
        var out = items.count == 1 ? "You have a new notification.\n" : "You have \(items.count) new notifications.\n"
        for (item, link) in zip(items, links) {
            out += "\n"
            out += item.cardTitle.map { "\(item.projectName) / \($0)\n" } ?? "\(item.projectName)\n"
            if item.isMention {
                out += "\(item.actorName) mentioned you:\n"
                for line in (item.excerpt ?? "").split(separator: "\n", omittingEmptySubsequences: false) {
                    out += "> \(line)\n"
                }
            } else {
                out += "\(item.actorName): \(item.kind)\n"
            }
            out += "\(link)\n"
        }
        out += "\n-- \nYou get this e-mail because you were notified while you were not online.\n"
        if let unsubscribe { out += "Unsubscribe: \(unsubscribe)\n" }
        return out
    }

    static func html(subject: String, items: [DigestItem], links: [String], unsubscribe: String?) -> String {
        let e = HTMLEscaping.escape
        var out = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(e(subject))</title></head>
            <body style="font-family: sans-serif; color: #222;">

            """
        out += items.count == 1 ? "<p>You have a new notification.</p>\n" : "<p>You have \(items.count) new notifications.</p>\n"
        for (item, link) in zip(items, links) {
            out += "<div style=\"margin: 1em 0; padding: 0.5em 1em; border-left: 3px solid #ccc;\">\n"
            out += "<p style=\"color: #666; margin: 0;\">\(e(item.projectName))"
            if let title = item.cardTitle { out += " / \(e(title))" }
            out += "</p>\n"
            if item.isMention {
                out += "<p><strong>\(e(item.actorName))</strong> mentioned you:</p>\n"
                out += "<blockquote style=\"margin: 0 0 0.5em 0;\">\(HTMLEscaping.escapeMultiline(item.excerpt ?? ""))</blockquote>\n"
            } else {
                out += "<p><strong>\(e(item.actorName))</strong>: \(e(item.kind))</p>\n"
            }
            out += "<p><a href=\"\(e(link))\">Open in Hubbub</a></p>\n</div>\n"
        }
        out += "<p style=\"color: #888; font-size: 12px;\">You get this e-mail because you were notified while you were not online."
        if let unsubscribe { out += " <a href=\"\(e(unsubscribe))\">Unsubscribe</a>" }
        out += "</p>\n</body></html>\n"
        return out
    }
}

/// How log records are written: `json`, one JSON object per line (for collectors), or
/// `text`, one human-readable line each (for a terminal). The choice of `--log-format`.
public enum LogFormat: String, Sendable, CaseIterable {
    case json
    case text
}

import ArgumentParser
import HubbubOps

/// `--log-format json|text`.
extension LogFormat: ExpressibleByArgument {}

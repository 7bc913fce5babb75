/// Marker: the real Swift runtime interposer is not part of this build (see Package.swift).
public enum SwiftRuntimeInterposerUnavailable {}

namespace Ai4h.Audit.Domain; public static class Placeholder {}

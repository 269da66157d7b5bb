using System.Diagnostics;

namespace Ai4h.Audit.Tests.Infrastructure;

/// <summary>Runs a program to completion (the offline verifier, qpdf, pdftotext) and returns its exit code and output.</summary>
public static class Programs
{
    public static async Task<(int Exit, string Output)> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}

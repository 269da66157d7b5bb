using Ai4h.Audit.Cli;

// `ai4h`: every failure ends in one line on stderr and an exit code from ExitCodes (docs/cli.md).
return await CliApp.RunAsync(args, CliConsole.System());

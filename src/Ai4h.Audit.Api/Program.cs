using Ai4h.Audit.Api;
using Ai4h.Audit.Api.Setup;

// `migrate` and `bootstrap-admin` are operator commands (docs/operations.md); anything else runs the Api.
if (args.Length > 0 && SetupCommands.Handles(args[0]))
    return await SetupCommands.RunAsync(args);

var app = ApiHost.Build(args);
await app.RunAsync();
return 0;

public partial class Program;

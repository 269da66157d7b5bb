using Ai4h.Audit.Domain.Annotations;
using Ai4h.Audit.Domain.Benchmarks;
using Ai4h.Audit.Domain.Datasets;
using Ai4h.Audit.Domain.Evaluations;
using Ai4h.Audit.Domain.Identity;
using Ai4h.Audit.Domain.Submissions;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Core;

namespace Ai4h.Audit.Domain.Record;

/// <summary>
/// The event store conventions every process shares (Api, Runner, tools): one place, so that no part can append
/// events that lack a stream type, an actor or their metadata.
/// </summary>
public static class RecordStore
{
    public const string Schema = "ai4h";

    public static void Configure(StoreOptions opts, string connectionString, bool migrate)
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = Schema;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);

        // Only the schema owner migrates; the application role could not create objects anyway.
        opts.AutoCreateSchemaObjects = migrate ? AutoCreate.CreateOrUpdate : AutoCreate.None;

        opts.Events.StreamIdentity = StreamIdentity.AsGuid;
        // Quick append takes each event's timestamp from the database clock at append: one clock for every Api and
        // Runner instance, and no process (let alone a client) can supply its own (docs/decisions/0002).
        opts.Events.AppendMode = EventAppendMode.Quick;
        opts.Events.UseMandatoryStreamTypeDeclaration = true;
        opts.Events.MetadataConfig.EnableAll();
        // EnableAll leaves the user name off in this Marten version; the actor is the point of the record.
        opts.Events.MetadataConfig.UserNameEnabled = true;

        opts.Projections.Snapshot<UserAccount>(SnapshotLifecycle.Inline);
        // Two simultaneous registrations of one user name: the database, not a prior read, decides.
        opts.Schema.For<UserAccount>().UniqueIndex(u => u.UserName);
        opts.Projections.Snapshot<Dataset>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Benchmark>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<AnnotationCampaign>(SnapshotLifecycle.Inline);
        // A dossier looks up the campaigns behind its test data by data set.
        opts.Schema.For<AnnotationCampaign>().Index(c => c.DatasetId);
        opts.Projections.Snapshot<Submission>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<Evaluation>(SnapshotLifecycle.Inline);
        opts.Schema.For<Evaluation>().Index(e => e.SubmissionId);
        opts.Projections.Snapshot<Audits.PublishedTemplate>(SnapshotLifecycle.Inline);
        // Two publications of one template version at once: the database refuses the second.
        opts.Schema.For<Audits.PublishedTemplate>().UniqueIndex(t => t.KeyVersion);
        opts.Projections.Snapshot<Audits.SubmissionAudit>(SnapshotLifecycle.Inline);
        opts.Schema.For<Audits.SubmissionAudit>().UniqueIndex(a => a.SubmissionId);

        opts.Storage.ExtendedSchemaObjects.Add(BlobStore.Table(Schema));
        opts.Storage.ExtendedSchemaObjects.Add(Ledger.LedgerTables.LeavesTable(Schema));
        opts.Storage.ExtendedSchemaObjects.Add(Ledger.LedgerTables.CheckpointsTable(Schema));

        // Every session must say who acts; an event without an actor is refused before it reaches the database.
        opts.Listeners.Add(new ActorRequired());
    }
}

using QwenVlStudio.Inference.Generation;
using QwenVlStudio.Inference.Generation.Batching;
using QwenVlStudio.Inference.Tests.Support;

namespace QwenVlStudio.Inference.Tests.Fused;

/// <summary>Several golden cases in one <see cref="KvPoolDecodeBatch"/>: each keeps its own ids and (within 1e-4) its own logits.</summary>
public class FusedBatchFacts(FusedModelFixture model) : IClassFixture<FusedModelFixture>
{
    private const float BatchTolerance = 1e-4f;
    private static readonly string[] FourCases = ["case1_image_describe", "case2_tall_ocr_zh", "case4_text_only", "case5_two_images"];

    [Fact]
    public void FourCasesDecodedTogether_EachGetsItsGoldenIdsAndItsAloneLogits()
    {
        var config = model.Package.Config;
        var prompts = FourCases.Select(n => FusedGolden.Prompt(GoldenCase.Load(n), model.Sessions)).ToList();
        int capacity = prompts.Max(p => p.Ids.Length) + FusedGolden.Steps;
        var alone = new List<(List<int> Ids, List<float[]> Logits)>();
        using (var single = new KvPoolDecodeBatch(model.Sessions, 1, capacity, 512))
            foreach (var prompt in prompts) alone.Add(FusedGolden.DecodeAlone(single, prompt, config));

        using var batch = new KvPoolDecodeBatch(model.Sessions, 4, capacity, 512);
        var rows = prompts.Select(p => batch.Join(p, null)).ToList();
        // Interleaved chunked prefill, as the engine loop does it.
        while (rows.Any(r => !r.IsPrefilled))
            foreach (var row in rows.Where(r => !r.IsPrefilled)) batch.Prefill(row, 16);
        var ids = rows.Select(_ => new List<int>()).ToList();
        float worst = 0;
        for (int step = 0; step < FusedGolden.Steps; step++)
        {
            var feeds = new List<(DecodeRow, int)>();
            for (int r = 0; r < rows.Count; r++)
            {
                worst = Math.Max(worst, FusedGolden.MaxAbsDiff(alone[r].Logits[step], batch.Logits(rows[r])));
                int token = FusedGolden.Pick(batch.Logits(rows[r]), config);
                ids[r].Add(token);
                feeds.Add((rows[r], token));
            }
            if (step < FusedGolden.Steps - 1) batch.Step(feeds);
        }

        for (int r = 0; r < rows.Count; r++)
            Assert.Equal(GoldenCase.Load(FourCases[r]).GeneratedIds, ids[r]);
        Assert.True(worst <= BatchTolerance, $"batched logits differ from alone by {worst} > {BatchTolerance}");
        Assert.Equal(4, batch.Count);
        Assert.Equal(rows.Sum(r => (long)r.Length) * 2 * 3 * 1 * 8 * sizeof(float), batch.KvBytes);
    }

    [Fact]
    public void RowsLeavingAndJoiningMidway_KeepTheirIds()
    {
        var config = model.Package.Config;
        var names = new[] { "case1_image_describe", "case3_tiny_two_turn", "case4_text_only", "case6_exact_size" };
        var prompts = names.ToDictionary(n => n, n => FusedGolden.Prompt(GoldenCase.Load(n), model.Sessions));
        using var batch = new KvPoolDecodeBatch(model.Sessions, 3, prompts.Values.Max(p => p.Ids.Length) + FusedGolden.Steps, 512);
        var active = new Dictionary<string, (DecodeRow Row, List<int> Ids)>();

        void Join(string name)
        {
            var row = batch.Join(prompts[name], null);
            FusedGolden.PrefillAll(batch, row, 512);
            active[name] = (row, []);
        }

        // Steps decode every prefilled row; when a row has all 16 ids it leaves and (once) a new case joins.
        foreach (var name in names.Take(3)) Join(name);
        var waiting = new Queue<string>([names[3]]);
        var finished = new Dictionary<string, List<int>>();
        // Stagger: the first row starts with fewer steps left, so it leaves while the others are mid-way.
        Step(active, batch, config, only: [names[0]]);
        Step(active, batch, config, only: [names[0]]);
        while (active.Count > 0)
        {
            foreach (var (name, (row, ids)) in active.Where(a => a.Value.Ids.Count == FusedGolden.Steps).ToList())
            {
                batch.Leave(row);
                active.Remove(name);
                finished[name] = ids;
                if (waiting.Count > 0) Join(waiting.Dequeue());
            }
            if (active.Count > 0) Step(active, batch, config, only: null);
        }

        foreach (var name in names) Assert.Equal(GoldenCase.Load(name).GeneratedIds, finished[name]);
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.KvBytes);
    }

    [Fact]
    public void StepOverRowsThatAreNotTheLeadingSlots_GathersThemAndKeepsIds()
    {
        var config = model.Package.Config;
        var names = new[] { "case4_text_only", "case2_tall_ocr_zh", "case6_exact_size" };
        var prompts = names.Select(n => FusedGolden.Prompt(GoldenCase.Load(n), model.Sessions)).ToList();
        using var batch = new KvPoolDecodeBatch(model.Sessions, 3, prompts.Max(p => p.Ids.Length) + FusedGolden.Steps, 512);
        var rows = prompts.Select(p => batch.Join(p, null)).ToList();
        // Slot 0 stays unprefilled for a while: the steps of slots 1 and 2 must move them to the front.
        FusedGolden.PrefillAll(batch, rows[1], 512);
        FusedGolden.PrefillAll(batch, rows[2], 512);
        var ids = rows.Select(_ => new List<int>()).ToList();
        for (int step = 0; step < FusedGolden.Steps; step++)
        {
            if (step == 5) FusedGolden.PrefillAll(batch, rows[0], 3);
            var feeds = new List<(DecodeRow, int)>();
            for (int r = 0; r < rows.Count; r++)
            {
                if (!rows[r].IsPrefilled) continue;
                int token = FusedGolden.Pick(batch.Logits(rows[r]), config);
                ids[r].Add(token);
                feeds.Add((rows[r], token));
            }
            batch.Step(feeds);
        }
        // Row 0 joined the steps late: finish its 16 ids alone.
        while (ids[0].Count < FusedGolden.Steps)
        {
            int token = FusedGolden.Pick(batch.Logits(rows[0]), config);
            ids[0].Add(token);
            if (ids[0].Count < FusedGolden.Steps) batch.Step([(rows[0], token)]);
        }

        for (int r = 0; r < rows.Count; r++) Assert.Equal(GoldenCase.Load(names[r]).GeneratedIds, ids[r].Take(FusedGolden.Steps));
    }

    private static void Step(Dictionary<string, (DecodeRow Row, List<int> Ids)> active, KvPoolDecodeBatch batch,
        QwenVlStudio.Inference.Package.ModelConfig config, string[]? only)
    {
        var feeds = new List<(DecodeRow, int)>();
        foreach (var (name, (row, ids)) in active)
        {
            if (only is not null && !only.Contains(name)) continue;
            if (ids.Count == FusedGolden.Steps) continue;
            int token = FusedGolden.Pick(batch.Logits(row), config);
            ids.Add(token);
            // The 16th id is picked from the logits of the 15th feed; it needs no feed of its own.
            if (ids.Count < FusedGolden.Steps) feeds.Add((row, token));
        }
        if (feeds.Count > 0) batch.Step(feeds);
    }
}

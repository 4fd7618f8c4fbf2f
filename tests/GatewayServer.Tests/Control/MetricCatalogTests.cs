using GatewayServer.Control;

namespace GatewayServer.Tests.Control;

public sealed class MetricCatalogTests
{
    public static TheoryData<string> Names => [.. MetricCatalog.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_metric_is_documented_in_docs_operations_md(string name) =>
        File.ReadAllText(Path.Combine(RepositoryLayout.Root(), "docs", "operations.md")).Should().Contain($"`{name}`");

    [Fact]
    public void Names_are_unique_valid_and_counters_end_in_total()
    {
        MetricCatalog.All.Select(f => f.Name).Should().OnlyHaveUniqueItems();
        MetricCatalog.All.Should().OnlyContain(f => SeriesKey.IsValid(f.Name));
        MetricCatalog.All.Where(f => f.Kind == MetricKind.Counter).Should().OnlyContain(f => f.Name.EndsWith("_total", StringComparison.Ordinal));
    }

    [Fact]
    public void A_series_key_finds_its_family_and_an_undeclared_one_none()
    {
        MetricCatalog.FamilyOf("gwserve_requests_rejected_total{status=\"400\"}").Should().Be(MetricCatalog.RejectedRequests);
        MetricCatalog.FamilyOf("gwserve_requests_rejected").Should().BeNull();
    }
}

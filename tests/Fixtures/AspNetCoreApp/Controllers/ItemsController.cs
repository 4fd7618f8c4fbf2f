using Microsoft.AspNetCore.Mvc;

namespace AspNetCoreApp.Controllers;

[ApiController]
[Route("api/items")]
public sealed class ItemsController : ControllerBase
{
    private static readonly Item[] Items = [new(1, "first"), new(2, "second")];

    [HttpGet]
    public IEnumerable<Item> List() => Items;

    [HttpGet("{id:int}")]
    public ActionResult<Item> Get(int id) => Array.Find(Items, item => item.Id == id) is { } item ? item : NotFound();

    [HttpGet("started")]
    public int HostedServiceStarts() => HeartbeatService.Started;

    /// <summary>Reads the body; more than 1 KiB is refused with 413 before the action runs out of memory.</summary>
    [HttpPost("limited")]
    [RequestSizeLimit(1024)]
    public async Task<int> Limited()
    {
        using var reader = new StreamReader(Request.Body);
        return (await reader.ReadToEndAsync()).Length;
    }

    public sealed record Item(int Id, string Name);
}

using Microsoft.AspNetCore.Mvc;

namespace WebApiApp.Controllers;

[ApiController]
[Route("api/todos")]
public sealed class TodosController(TodoStore store) : ControllerBase
{
    [HttpGet]
    public IEnumerable<Todo> List() => store.All;

    [HttpGet("{id:int}")]
    public ActionResult<Todo> Get(int id) => store.Find(id) is { } todo ? todo : NotFound();

    [HttpPost]
    public ActionResult<Todo> Add(NewTodo request)
    {
        Todo todo = store.Add(request.Title);
        return CreatedAtAction(nameof(Get), new { id = todo.Id }, todo);
    }

    public sealed record NewTodo(string Title);
}

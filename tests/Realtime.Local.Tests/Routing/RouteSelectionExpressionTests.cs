using System.Text;
using Realtime.Local.Routing;

namespace Realtime.Local.Tests.Routing;

/// <summary>Evaluating route selection expressions as API Gateway's selection-expression page documents.</summary>
public sealed class RouteSelectionExpressionTests
{
    private static string? Evaluate(string expression, string message) =>
        RouteSelectionExpression.Parse(expression).Evaluate(Encoding.UTF8.GetBytes(message));

    private const string Payload = """{"service":"chat","action":"join","data":{"room":"room1234"},"n":42,"flag":true,"list":["a",1],"obj":{"k":"v"},"nil":null}""";

    [Theory]
    [InlineData("$request.body.action", "join")]
    [InlineData("${request.body.action}", "join")]
    [InlineData("${request.body.service}/${request.body.action}", "chat/join")]
    [InlineData("${request.body.action}-${request.body.invalidPath}", "join-")]
    [InlineData("action", "action")]
    [InlineData("\\$default", "$default")]
    [InlineData("$request.body.data.room", "room1234")]
    [InlineData("$request.body['data']['room']", "room1234")]
    [InlineData("$request.body.n", "42")]
    [InlineData("$request.body.flag", "true")]
    [InlineData("$request.body.list", "[a, 1]")]
    [InlineData("$request.body.list[1]", "1")]
    [InlineData("$request.body.obj", "{k=v}")]
    [InlineData("$request.body.nil", "")]
    [InlineData("$request.body.missing", "")]
    [InlineData("$request.body.action.deeper", "")]
    [InlineData("$request.body.data.room.deeper", "")]
    public void A_json_object_evaluates_to_the_documented_key(string expression, string expected)
    {
        Assert.Equal(expected, Evaluate(expression, Payload));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("""{"action":"join" """)]
    [InlineData("""{"action":"join"} trailing""")]
    [InlineData("""["join"]""")]
    [InlineData("\"join\"")]
    [InlineData("42")]
    [InlineData("")]
    public void A_message_that_is_not_a_json_object_cannot_be_evaluated(string message)
    {
        Assert.Null(Evaluate("$request.body.action", message));
        Assert.Null(Evaluate("${request.body.service}/${request.body.action}", message));
    }

    [Fact]
    public void The_first_of_duplicate_properties_is_used()
    {
        Assert.Equal("first", Evaluate("$request.body.action", """{"action":"first","action":"second"}"""));
    }

    [Fact]
    public void Escaped_property_names_match()
    {
        Assert.Equal("ok", Evaluate("$request.body.action", """{"\u0061ction":"ok"}"""));
    }

    [Fact]
    public void Whitespace_around_the_object_is_allowed()
    {
        Assert.Equal("join", Evaluate("$request.body.action", " \n {\"action\" : \"join\"} \n"));
    }

    [Fact]
    public void Variables_other_than_the_body_are_reported_and_give_empty()
    {
        var expression = RouteSelectionExpression.Parse("$request.header.x-route");

        Assert.Single(expression.Warnings);
        Assert.Equal("-route", expression.Evaluate("""{"a":1}"""u8));
    }

    [Fact]
    public void An_unsupported_json_path_is_refused()
    {
        Assert.Throws<FormatException>(() => RouteSelectionExpression.Parse("$request.body.items[*]"));
    }
}

public sealed class RouteTableTests
{
    private static RouteTable Table(params string[] keys)
    {
        var function = new Realtime.Local.Functions.GatewayFunction("F", new Realtime.Local.Functions.HandlerName("A", "T", "M"), null, (s, _) => Task.FromResult(s));
        return new RouteTable(
            RouteSelectionExpression.Parse("$request.body.action"),
            keys.Select(k => new Route(new Realtime.Local.Template.RouteDefinition(k, "F", false, null, false, null), function, TimeSpan.FromSeconds(29))));
    }

    [Fact]
    public void The_route_whose_key_equals_the_value_exactly_is_selected()
    {
        var table = Table("join", "$default");

        Assert.Equal("join", table.Select("""{"action":"join"}"""u8)!.Key);
        Assert.Equal("$default", table.Select("""{"action":"Join"}"""u8)!.Key);
    }

    [Fact]
    public void Lifecycle_routes_are_never_selected_by_a_message()
    {
        var table = Table("$connect", "$disconnect");

        Assert.Null(table.Select("""{"action":"$connect"}"""u8));
        Assert.Null(table.Select("""{"action":"$disconnect"}"""u8));
        Assert.Equal("$connect", table.Connect!.Key);
        Assert.Equal("$disconnect", table.Disconnect!.Key);
    }

    [Fact]
    public void Without_default_an_unmatched_message_has_no_route()
    {
        Assert.Null(Table("join").Select("not json"u8));
    }
}

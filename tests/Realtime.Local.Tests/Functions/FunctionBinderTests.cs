using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Local.Functions;

namespace Realtime.Local.Tests.Functions;

public sealed record BinderDependency(string Value);

public sealed class BinderTarget(BinderDependency dependency)
{
    public Task<Stream> WithoutToken(Stream input) => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(dependency.Value)));

    public Task<Stream> WithToken(Stream input, CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(cancellationToken.CanBeCanceled ? "token" : "none")));

    public static Task<Stream> Static(Stream input) => Task.FromResult(input);

    public Stream WrongReturn(Stream input) => input;

    public Task<Stream> WrongParameter(string input) => Task.FromResult<Stream>(Stream.Null);
}

/// <summary>Resolving handler strings to methods and binding them to instances made from the host's services.</summary>
public sealed class FunctionBinderTests
{
    private const string Assembly = "Realtime.Local.Tests";
    private const string Type = "Realtime.Local.Tests.Functions.BinderTarget";

    private static async Task<string> InvokeAsync(string method, CancellationToken token = default)
    {
        var services = new ServiceCollection().AddSingleton(new BinderDependency("one")).BuildServiceProvider();
        var handler = FunctionBinder.Bind(FunctionBinder.Resolve(new HandlerName(Assembly, Type, method), "F"), services, "F");
        using var output = await handler(new MemoryStream(Encoding.UTF8.GetBytes("input")), token).DefaultTimeout();
        return await new StreamReader(output).ReadToEndAsync().DefaultTimeout();
    }

    [Fact]
    public async Task A_stream_handler_is_bound() => Assert.Equal("one", await InvokeAsync("WithoutToken"));

    [Fact]
    public async Task A_handler_with_a_cancellation_token_gets_the_token()
    {
        using var cancellation = new CancellationTokenSource();
        Assert.Equal("token", await InvokeAsync("WithToken", cancellation.Token));
    }

    [Fact]
    public async Task A_static_handler_is_bound() => Assert.Equal("input", await InvokeAsync("Static"));

    [Theory]
    [InlineData("No.Such.Assembly", Type, "WithoutToken", "assembly 'No.Such.Assembly' of handler")]
    [InlineData(Assembly, "No.Such.Type", "WithoutToken", "type 'No.Such.Type' of handler")]
    [InlineData(Assembly, Type, "Missing", "has no public method 'Missing'")]
    [InlineData(Assembly, Type, "WrongReturn", "must be Task<Stream> WrongReturn(Stream)")]
    [InlineData(Assembly, Type, "WrongParameter", "must be Task<Stream> WrongParameter(Stream)")]
    public void A_handler_that_cannot_be_called_is_refused(string assembly, string type, string method, string message)
    {
        var error = Assert.Throws<FunctionResolutionException>(() => FunctionBinder.Resolve(new HandlerName(assembly, type, method), "F"));

        Assert.Contains(message, error.Message);
        Assert.StartsWith("Function F: ", error.Message);
    }

    [Theory]
    [InlineData("A::B")]
    [InlineData("A::B::C::D")]
    [InlineData("A:: ::C")]
    public void A_malformed_handler_string_is_refused(string handler)
    {
        Assert.Throws<FunctionResolutionException>(() => HandlerName.Parse(handler, "F"));
    }

    [Fact]
    public async Task Instances_are_made_from_the_host_services()
    {
        var services = new ServiceCollection().AddSingleton(new BinderDependency("from the host")).BuildServiceProvider();
        var handler = FunctionBinder.Bind(FunctionBinder.Resolve(new HandlerName(Assembly, Type, "WithoutToken"), "F"), services, "F");

        using var output = await handler(Stream.Null, CancellationToken.None).DefaultTimeout();

        Assert.Equal("from the host", await new StreamReader(output).ReadToEndAsync().DefaultTimeout());
    }

    [Fact]
    public void A_function_whose_dependencies_are_missing_is_refused()
    {
        var method = FunctionBinder.Resolve(new HandlerName(Assembly, Type, "WithoutToken"), "F");

        var error = Assert.Throws<FunctionResolutionException>(() => FunctionBinder.Bind(method, new ServiceCollection().BuildServiceProvider(), "F"));

        Assert.StartsWith($"Function F: cannot create {Type}: ", error.Message);
    }
}

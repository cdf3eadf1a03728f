// The ASP.NET (System.Web) host for the aspnet-mono reference server. Debian 12's xsp4 crashes at
// start, so this small host runs the real pipeline itself: HttpListener takes each request,
// ApplicationHost puts the application (Global.asax, App_Code, web.config) in its own AppDomain,
// and HttpRuntime.ProcessRequest runs it through a worker request built from the listener's
// request. Only primitives cross the AppDomain boundary.
//
//   mono Host.exe <app directory> <port> [<port> ...]      (Host.exe must also be in <app>/bin)
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Web;
using System.Web.Hosting;

[Serializable]
public class Answer
{
    public int Status;
    public string StatusText = "";
    public List<string[]> Headers = new List<string[]>();
    public byte[] Body = new byte[0];
}

public class Bridge : MarshalByRefObject
{
    public override object InitializeLifetimeService() { return null; }

    public Answer Process(string verb, string path, string query, string[][] headers, byte[] body, int localPort)
    {
        var request = new Request(verb, path, query, headers, body, localPort);
        HttpRuntime.ProcessRequest(request);
        request.Done.WaitOne();
        return request.Answer;
    }
}

class Request : SimpleWorkerRequest
{
    readonly string verb, path, query;
    readonly string[][] headers;
    readonly byte[] body;
    readonly int localPort;
    readonly MemoryStream output = new MemoryStream();
    public readonly Answer Answer = new Answer();
    public readonly ManualResetEvent Done = new ManualResetEvent(false);

    public Request(string verb, string path, string query, string[][] headers, byte[] body, int localPort)
        : base(path.TrimStart('/'), query, TextWriter.Null)
    {
        this.verb = verb; this.path = path; this.query = query; this.headers = headers; this.body = body; this.localPort = localPort;
    }

    public override string GetHttpVerbName() { return verb; }
    public override string GetUriPath() { return path; }
    public override string GetRawUrl() { return query.Length > 0 ? path + "?" + query : path; }
    public override int GetLocalPort() { return localPort; }
    public override string GetKnownRequestHeader(int index) { return GetUnknownRequestHeader(GetKnownRequestHeaderName(index)); }
    public override string GetUnknownRequestHeader(string name)
    {
        foreach (var h in headers) if (string.Equals(h[0], name, StringComparison.OrdinalIgnoreCase)) return h[1];
        return null;
    }
    public override string[][] GetUnknownRequestHeaders()
    {
        var unknown = new List<string[]>();
        foreach (var h in headers) if (GetKnownRequestHeaderIndex(h[0]) < 0) unknown.Add(h);
        return unknown.ToArray();
    }
    public override byte[] GetPreloadedEntityBody() { return body; }
    public override bool IsEntireEntityBodyIsPreloaded() { return true; }
    public override void SendStatus(int code, string text) { Answer.Status = code; Answer.StatusText = text; }
    public override void SendKnownResponseHeader(int index, string value) { Answer.Headers.Add(new[] { GetKnownResponseHeaderName(index), value }); }
    public override void SendUnknownResponseHeader(string name, string value) { Answer.Headers.Add(new[] { name, value }); }
    public override void SendResponseFromMemory(byte[] data, int length) { output.Write(data, 0, length); }
    public override void FlushResponse(bool finalFlush) { }
    public override void EndOfRequest() { Answer.Body = output.ToArray(); Done.Set(); }
}

public static class Program
{
    public static void Main(string[] args)
    {
        var bridge = (Bridge)ApplicationHost.CreateApplicationHost(typeof(Bridge), "/", Path.GetFullPath(args[0]));
        var listener = new HttpListener();
        for (int i = 1; i < args.Length; i++) listener.Prefixes.Add("http://127.0.0.1:" + args[i] + "/");
        try { listener.Start(); }
        catch (Exception e)
        {
            // One line the harness can read (a port taken meanwhile is retried on other ports).
            Console.Error.WriteLine("aspnet-mono: could not bind: " + e.Message);
            Environment.Exit(1);
        }
        Console.Error.WriteLine("aspnet-mono: listening");
        while (true)
        {
            var context = listener.GetContext();
            ThreadPool.QueueUserWorkItem(_ => Serve(bridge, context));
        }
    }

    static void Serve(Bridge bridge, HttpListenerContext context)
    {
        var req = context.Request;
        var res = context.Response;
        try
        {
            var headers = new List<string[]>();
            foreach (string name in req.Headers.AllKeys) headers.Add(new[] { name, req.Headers[name] });
            var body = new MemoryStream();
            req.InputStream.CopyTo(body);
            var query = req.Url.Query.Length > 0 ? req.Url.Query.Substring(1) : "";
            var answer = bridge.Process(req.HttpMethod, req.Url.AbsolutePath, query, headers.ToArray(), body.ToArray(), req.LocalEndPoint.Port);
            res.StatusCode = answer.Status;
            if (answer.StatusText.Length > 0) res.StatusDescription = answer.StatusText;
            foreach (var h in answer.Headers)
            {
                // HttpListener frames the body itself; every other header goes out as the pipeline set it.
                if (string.Equals(h[0], "Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                if (string.Equals(h[0], "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
                res.Headers.Add(h[0], h[1]);
            }
            if (req.HttpMethod != "HEAD") { res.ContentLength64 = answer.Body.Length; res.OutputStream.Write(answer.Body, 0, answer.Body.Length); }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("aspnet-mono: " + e.Message);
            try { res.StatusCode = 500; } catch { }
        }
        finally { try { res.Close(); } catch { } }
    }
}

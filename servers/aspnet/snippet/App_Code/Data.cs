// /data for the article's snippet: answers every method, as a handler does unless told otherwise.
using System.Web;

public class Data : IHttpHandler
{
    public bool IsReusable { get { return true; } }

    public void ProcessRequest(HttpContext context)
    {
        string token = context.Request.QueryString["cc"] ?? "none";
        context.Response.ContentType = "text/plain";
        context.Response.AddHeader("X-Request-Id", token);
        context.Response.Write("data " + context.Request.HttpMethod + " " + token);
    }
}

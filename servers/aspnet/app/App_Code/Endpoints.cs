// /data, /cookie and /redirect, as every reference server serves them (servers/reference/common.ts).
using System.Web;

public class Endpoints : IHttpHandler
{
    public bool IsReusable { get { return true; } }

    public void ProcessRequest(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string token = request.QueryString["cc"] ?? "";
        response.ContentType = "text/plain";
        switch (request.Path)
        {
            case "/data":
                response.AddHeader("X-Request-Id", token.Length > 0 ? token : "none");
                response.AddHeader("X-Total-Count", "42");
                response.Write("data " + request.HttpMethod + " " + token);
                break;
            case "/cookie":
                response.AddHeader("Set-Cookie", "cc_" + token.Replace("-", "_") + "=1; Path=/; SameSite=None; Secure");
                response.Write("cookie set");
                break;
            case "/redirect":
                response.StatusCode = 302;
                response.AddHeader("Location", "/data?cc=" + HttpUtility.UrlEncode(token));
                break;
            default:
                response.StatusCode = 404;
                response.Write("not found");
                break;
        }
    }
}

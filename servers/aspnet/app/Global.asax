<%@ Application Language="C#" %>
<script runat="server">
// The article's snippet, filled in from the policy: CORS headers added with Response.AddHeader in
// Application_BeginRequest, for every request the pipeline sees. The policy of the port the
// request came in on is in policy-<port>.txt (App_Code/Cors.cs reads it).
protected void Application_BeginRequest()
{
    Cors.Apply(HttpContext.Current);
}
</script>

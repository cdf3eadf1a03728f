<%@ Application Language="C#" %>
<script runat="server">
// The article's .NET snippet, as written.
protected void Application_BeginRequest()
{
    HttpContext.Current.Response.AddHeader("Access-Control-Allow-Origin", "*");
}
</script>

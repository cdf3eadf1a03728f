// The CORS part of the aspnet-mono reference server, called from Application_BeginRequest. The
// policy (servers/policy.ts) arrives as policy-<port>.txt, one `key=value` a line
// (servers/reference/aspnet-mono.ts writes it); repeated keys `allow` and `allowRegex` are the
// allow-list. What it sends mirrors servers/php/router.php, in ASP.NET's words.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using System.Web;

public static class Cors
{
    static readonly Dictionary<int, Dictionary<string, List<string>>> Policies = new Dictionary<int, Dictionary<string, List<string>>>();

    static Dictionary<string, List<string>> PolicyFor(HttpContext context)
    {
        int port = int.Parse(context.Request.ServerVariables["SERVER_PORT"]);
        lock (Policies)
        {
            Dictionary<string, List<string>> policy;
            if (Policies.TryGetValue(port, out policy)) return policy;
            policy = new Dictionary<string, List<string>>();
            foreach (var line in File.ReadAllLines(context.Server.MapPath("~/policy-" + port + ".txt")))
            {
                int eq = line.IndexOf('=');
                if (eq < 0) continue;
                string key = line.Substring(0, eq);
                if (!policy.ContainsKey(key)) policy[key] = new List<string>();
                policy[key].Add(line.Substring(eq + 1));
            }
            Policies[port] = policy;
            return policy;
        }
    }

    static string One(Dictionary<string, List<string>> p, string key)
    {
        List<string> v;
        return p.TryGetValue(key, out v) ? v[0] : null;
    }

    static bool Admits(Dictionary<string, List<string>> p, string origin)
    {
        List<string> list;
        if (p.TryGetValue("allow", out list) && list.Contains(origin)) return true;
        if (p.TryGetValue("allowRegex", out list))
            foreach (var entry in list)
            {
                var parts = entry.Split('\t');
                var options = parts.Length > 1 && parts[1].Contains("i") ? RegexOptions.IgnoreCase : RegexOptions.None;
                if (Regex.IsMatch(origin, parts[0], options)) return true;
            }
        return false;
    }

    public static void Apply(HttpContext context)
    {
        var p = PolicyFor(context);
        var request = context.Request;
        var response = context.Response;
        string origin = request.Headers["Origin"];
        string broken = Environment.GetEnvironmentVariable("CORS_CONFORM_BREAK") == "aspnet-mono" ? "/" : "";
        string mode = One(p, "origin");
        if (mode == "*") response.AddHeader("Access-Control-Allow-Origin", "*" + broken);
        else if (mode == "reflect") { if (origin != null) response.AddHeader("Access-Control-Allow-Origin", origin + broken); }
        else if (mode == "exact") response.AddHeader("Access-Control-Allow-Origin", One(p, "allow") + broken);
        else if (origin != null && Admits(p, origin)) response.AddHeader("Access-Control-Allow-Origin", origin + broken);
        if (One(p, "credentials") == "true") response.AddHeader("Access-Control-Allow-Credentials", "true");

        if (request.HttpMethod == "OPTIONS" && One(p, "preflightContinue") != "true")
        {
            response.AddHeader("Access-Control-Allow-Methods", One(p, "methods"));
            string allowed = One(p, "allowedHeaders") ?? request.Headers["Access-Control-Request-Headers"];
            if (allowed != null) response.AddHeader("Access-Control-Allow-Headers", allowed);
            if (One(p, "maxAge") != null) response.AddHeader("Access-Control-Max-Age", One(p, "maxAge"));
            response.StatusCode = int.Parse(One(p, "optionsSuccessStatus"));
            context.ApplicationInstance.CompleteRequest();
            return;
        }
        string exposed = One(p, "exposedHeaders");
        if (!string.IsNullOrEmpty(exposed)) response.AddHeader("Access-Control-Expose-Headers", exposed);
    }
}

<?php
// The PHP reference server: `php -S 127.0.0.1:<port> router.php` (or under Apache + mod_php,
// servers/reference/apache-php.ts), the policy as JSON in CC_POLICY (or the file CC_POLICY_FILE),
// CORS headers set with header(...) the way common PHP snippets do:
//
//   header("Access-Control-Allow-Origin: *");                 // or the allowed origin
//   header("Access-Control-Allow-Credentials: true");
//   if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
//       header("Access-Control-Allow-Methods: GET, POST, PUT, DELETE");
//       header("Access-Control-Allow-Headers: " . $_SERVER['HTTP_ACCESS_CONTROL_REQUEST_HEADERS']);
//       http_response_code(204);
//       exit;
//   }
//
// Each request carrying ?cc=<token> is appended as one JSON line to CC_WIRE_LOG (request as seen,
// status and the header() list as sent), for the harness to read back.

// Under php -S the policy comes in CC_POLICY; under Apache (SetEnv) as a file, CC_POLICY_FILE.
$policyFile = getenv('CC_POLICY_FILE');
$policy = json_decode(getenv('CC_POLICY') ?: ($policyFile ? file_get_contents($policyFile) : '{}'), true);
$method = $_SERVER['REQUEST_METHOD'];
$uri = $_SERVER['REQUEST_URI'];
$path = parse_url($uri, PHP_URL_PATH);
$token = (isset($_GET['cc']) && is_string($_GET['cc'])) ? $_GET['cc'] : '';
$origin = $_SERVER['HTTP_ORIGIN'] ?? null;
$break = getenv('CORS_CONFORM_BREAK') === (getenv('CC_SERVER') ?: 'php');

function cc_rule_admits($rule, $origin) {
    if (is_array($rule) && isset($rule['regexp'])) {
        $delimited = '~' . str_replace('~', '\~', $rule['regexp']) . '~' . str_replace(['g', 'y', 'u', 'd', 's'], ['', '', 'u', '', 's'], $rule['flags']);
        return preg_match($delimited, $origin) === 1;
    }
    return $rule === $origin;
}

function cc_acao($value) {
    global $break;
    header('Access-Control-Allow-Origin: ' . $value . ($break ? '/' : ''));
}

function cc_finish($status, $body = '') {
    global $token, $method, $uri, $origin;
    http_response_code($status);
    if ($token !== '' && ($log = getenv('CC_WIRE_LOG'))) {
        $headers = [];
        foreach (getallheaders() as $name => $value) {
            $headers[strtolower($name)] = $value;
        }
        $sent = [];
        foreach (headers_list() as $line) {
            $c = strpos($line, ':');
            $sent[] = [substr($line, 0, $c), ltrim(substr($line, $c + 1))];
        }
        $entry = [
            'token' => $token,
            'method' => $method,
            'path' => $uri,
            'headers' => $headers,
            'status' => $status,
            'responseHeaders' => $sent,
        ];
        file_put_contents($log, json_encode($entry, JSON_UNESCAPED_SLASHES) . "\n", FILE_APPEND | LOCK_EX);
    }
    if ($method !== 'HEAD' && $body !== '') echo $body;
    exit;
}

// --- the CORS snippet, filled in from the policy ---
$allow = $policy['origin'];
if ($allow === '*') {
    cc_acao('*');
} elseif ($allow === true) {
    if ($origin !== null) cc_acao($origin);
} elseif (is_string($allow)) {
    cc_acao($allow);
} else {
    $rules = (is_array($allow) && !isset($allow['regexp'])) ? $allow : [$allow];
    foreach ($rules as $rule) {
        if ($origin !== null && cc_rule_admits($rule, $origin)) {
            cc_acao($origin);
            break;
        }
    }
}
if (!empty($policy['credentials'])) header('Access-Control-Allow-Credentials: true');

if ($method === 'OPTIONS' && empty($policy['preflightContinue'])) {
    $methods = $policy['methods'] ?? ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];
    header('Access-Control-Allow-Methods: ' . implode(', ', $methods));
    if (isset($policy['allowedHeaders'])) {
        header('Access-Control-Allow-Headers: ' . implode(', ', $policy['allowedHeaders']));
    } elseif (isset($_SERVER['HTTP_ACCESS_CONTROL_REQUEST_HEADERS'])) {
        header('Access-Control-Allow-Headers: ' . $_SERVER['HTTP_ACCESS_CONTROL_REQUEST_HEADERS']);
    }
    if (isset($policy['maxAge'])) header('Access-Control-Max-Age: ' . $policy['maxAge']);
    cc_finish($policy['optionsSuccessStatus'] ?? 204);
}
if (!empty($policy['exposedHeaders'])) header('Access-Control-Expose-Headers: ' . implode(', ', $policy['exposedHeaders']));

// --- the endpoints ---
file_get_contents('php://input');
if ($path === '/data') {
    header('X-Request-Id: ' . ($token !== '' ? $token : 'none'));
    header('X-Total-Count: 42');
    header('Content-Type: text/plain; charset=utf-8');
    cc_finish(200, "data $method $token");
}
if ($path === '/cookie') {
    header('Set-Cookie: cc_' . str_replace('-', '_', $token) . '=1; Path=/; SameSite=None; Secure');
    header('Content-Type: text/plain; charset=utf-8');
    cc_finish(200, 'cookie set');
}
if ($path === '/redirect') {
    header('Location: /data?cc=' . rawurlencode($token));
    cc_finish(302);
}
header('Content-Type: text/plain; charset=utf-8');
cc_finish(404, 'not found');

<?php
// The article's PHP snippet, as written, in a script Apache runs with mod_php for /data.
header('Access-Control-Allow-Origin: *');

header('X-Request-Id: ' . ($_GET['cc'] ?? 'none'));
header('Content-Type: text/plain; charset=utf-8');
echo 'data ' . $_SERVER['REQUEST_METHOD'];

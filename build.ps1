#!/usr/bin/env pwsh
# Each task runs the same dotnet command README.md documents.
param(
    [ValidateSet('restore', 'build', 'test', 'pack', 'publish', 'serve')]
    [string] $Task = 'build',
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke([string[]] $Command) {
    Write-Host "> $($Command -join ' ')"
    & $Command[0] $Command[1..($Command.Length - 1)]
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Task) {
    'restore' { Invoke @('dotnet', 'restore') }
    'build'   { Invoke @('dotnet', 'build', '-c', $Configuration) }
    'test'    { Invoke @('dotnet', 'test', '-c', $Configuration) }
    'pack'    { Invoke @('dotnet', 'pack', '-c', $Configuration, '-o', 'artifacts/packages') }
    'publish' { Invoke @('dotnet', 'publish', 'src/GatewayServer.Cli', '-c', $Configuration, '-o', 'artifacts/publish/gwserve') }
    'serve'   {
        Invoke @('dotnet', 'build', '-c', $Configuration)
        $config = $Configuration.ToLowerInvariant()
        Invoke @("artifacts/bin/GatewayServer.Cli/$config/gwserve", "artifacts/bin/HelloApp/$config/HelloApp.dll:App", '--bind', '127.0.0.1:8000', '--workers', '2')
    }
}

using GatewayServer.Configuration;

namespace GatewayServer.Master;

// Rolling reload (HUP, --reload): generations, and retiring the old workers one by one.
public sealed partial class MasterProcess
{
    /// <summary>
    /// HUP: re-read the configuration and start the next generation. The old workers keep serving;
    /// <see cref="RetireSurplusWorkers"/> stops one each time a new one is ready.
    /// </summary>
    private void Reload()
    {
        ServerSettings settings;
        try
        {
            settings = _options.Reload?.Invoke() ?? CurrentSettings;
        }
        catch (SettingException error)
        {
            _log.Error($"Reload failed: the configuration is invalid ({error.Message}); generation {_generation.Number} keeps serving");
            _notifier?.Reloading("Reloading");
            _notifier?.Ready($"Reload failed (invalid configuration); generation {_generation.Number} serving");
            return;
        }

        WarnAboutSettingsThatNeedARestart(settings);
        _lastComplete ??= _generation;
        _generation = new Generation(_generation.Number + 1, settings);
        _reloads++;
        _targetWorkers = settings.Get(Settings.Workers);
        _backoff.Reset();
        _log.Info($"Reloading: starting generation {_generation.Number} ({_targetWorkers} workers)");
        _notifier?.Reloading($"Reloading: starting generation {_generation.Number}");
        _readyNotified = false;
        foreach (WorkerHandle worker in _workers)
        {
            if (worker.Phase == WorkerPhase.Booting && worker.Generation != _generation.Number)
            {
                StopWorker(worker, graceful: false, "superseded by a newer generation");
            }
        }
    }

    private void WarnAboutSettingsThatNeedARestart(ServerSettings settings)
    {
        foreach (Setting setting in new Setting[] { Settings.Bind, Settings.Backlog, Settings.ReusePort })
        {
            if (!string.Join(" ", setting.Format(settings.GetValue(setting))).Equals(string.Join(" ", setting.Format(CurrentSettings.GetValue(setting))), StringComparison.Ordinal))
            {
                _log.Warning($"Reload: {setting.Flag} changed; the listening sockets stay as they are until a restart or USR2");
            }
        }
    }

    /// <summary>A new generation could not boot: stop it and let the one that was serving carry on.</summary>
    private void AbandonReload(WorkerHandle failed, string reason)
    {
        Generation failedGeneration = _generation;
        _generation = _lastComplete!;
        _lastComplete = null;
        _targetWorkers = _generation.Settings.Get(Settings.Workers);
        _backoff.Reset();
        _log.Error($"Reload failed: worker {failed.Pid} of generation {failedGeneration.Number} could not boot ({reason}); generation {_generation.Number} keeps serving");
        foreach (WorkerHandle worker in _workers)
        {
            if (worker.Generation == failedGeneration.Number && worker.Phase != WorkerPhase.Stopping)
            {
                StopWorker(worker, graceful: worker.Phase == WorkerPhase.Ready, "its generation failed to boot");
            }
        }
    }

    /// <summary>Step: when more workers are ready than wanted, stop the outdated, marked or oldest ones.</summary>
    private void RetireSurplusWorkers()
    {
        while (PoolPlan.NextToRetire(_workers, _generation.Number, _targetWorkers) is { } worker)
        {
            string reason = worker.RetireReason
                ?? (worker.Generation != _generation.Number ? $"replaced by generation {_generation.Number}" : "fewer workers wanted");
            StopWorker(worker, graceful: true, reason);
        }

        if (_lastComplete is not null && !PoolPlan.HasOutdated(_workers, _generation.Number)
            && _workers.Count(w => w.Phase == WorkerPhase.Ready && w.Generation == _generation.Number) >= _targetWorkers)
        {
            _lastComplete = null;
            _log.Info($"Reload complete: generation {_generation.Number} serving with {_targetWorkers} workers");
        }
    }

    /// <summary>A reload phase: its number and the settings its workers were started with.</summary>
    private sealed record Generation(int Number, ServerSettings Settings);
}

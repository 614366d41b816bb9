// System tests start daemons, ffmpeg and Chromium: on a 2-core machine, one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

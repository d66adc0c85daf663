{
  # Built by ../scripts/buildNative.mjs, which finds OpenBLAS and passes its paths as variables. Kept out of
  # the package root on purpose: npm and pnpm run `node-gyp rebuild` on install whenever a binding.gyp sits there.
  "variables": {
    "openblas_include%": "/usr/include/x86_64-linux-gnu/openblas-pthread",
    "openblas_lib%": "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.a"
  },
  "targets": [
    {
      "target_name": "drojs-native",
      "sources": [
        "addon.c",
        "conv.c",
        "elementwise.c",
        "gemm.c",
        "scratch.c"
      ],
      "include_dirs": ["<(openblas_include)"],
      "cflags": ["-O3", "-std=gnu11", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      # OpenBLAS is linked statically (no libopenblas needed at run time); its symbols stay inside the addon.
      "libraries": ["<(openblas_lib)", "-lpthread", "-lm"],
      "ldflags": ["-Wl,--exclude-libs,ALL", "-Wl,--as-needed"]
    }
  ]
}

// The upload is 1 MB; server actions refuse bodies over 1 MB unless told (use-server's app says 2 MB too).
export default { experimental: { serverActions: { bodySizeLimit: '2mb' } }, eslint: { ignoreDuringBuilds: true } }

import { useServer } from '@use-server/vite'

export default { logLevel: 'warn', plugins: [useServer({ bodyLimit: 2 * 1024 * 1024 })] }

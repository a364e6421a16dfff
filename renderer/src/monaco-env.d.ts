/** Vite turns `?worker` imports into a Worker constructor served from 'self' (worker-src 'self'). */
declare module '*?worker' {
  const WorkerFactory: new () => Worker;
  export default WorkerFactory;
}

/** Stylesheets loaded on demand (Vite turns the import into a <link>). */
declare module '*.css';

import { createHashRouter, Navigate, RouterProvider } from 'react-router';
import { Layout } from './Layout';
import { ReviewQueuePage } from './pages/ReviewQueuePage';
import { SessionProvider } from './session';

// Hash routes: the gateway serves one index.html and the hashed assets, nothing per page.
const router = createHashRouter([
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/review" replace /> },
      { path: 'review', element: <ReviewQueuePage /> },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}

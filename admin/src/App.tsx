import { createHashRouter, Navigate, RouterProvider } from 'react-router';
import { Layout } from './Layout';
import { AnalyticsPage } from './pages/AnalyticsPage';
import { CampaignsPage } from './pages/CampaignsPage';
import { CatalogPage } from './pages/CatalogPage';
import { FailedCheckoutsPage } from './pages/FailedCheckoutsPage';
import { OrderPage } from './pages/OrderPage';
import { OrdersPage } from './pages/OrdersPage';
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
      { path: 'orders', element: <OrdersPage /> },
      { path: 'orders/:id', element: <OrderPage /> },
      { path: 'failed', element: <FailedCheckoutsPage /> },
      { path: 'campaigns', element: <CampaignsPage /> },
      { path: 'analytics', element: <AnalyticsPage /> },
      { path: 'catalog', element: <CatalogPage /> },
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

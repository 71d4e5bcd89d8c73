// The routes: the paths the API hands out (`permalink`, `links.organizationUrl`) included.
import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter, Navigate, useParams } from "react-router-dom";
import { Layout } from "./components/Layout";
import { OrganizationPicker } from "./pages/OrganizationPicker";
import { IssueList } from "./pages/IssueList";

// The issue list is in the first bundle (it is the first page most people open); the other
// pages, and the chart library, load when first visited.
const IssueDetail = lazy(() => import("./pages/IssueDetail").then((m) => ({ default: m.IssueDetail })));
const Dashboard = lazy(() => import("./pages/Dashboard").then((m) => ({ default: m.Dashboard })));
const Projects = lazy(() => import("./pages/Projects").then((m) => ({ default: m.Projects })));
const ProjectSettings = lazy(() => import("./pages/ProjectSettings").then((m) => ({ default: m.ProjectSettings })));
const Teams = lazy(() => import("./pages/Teams").then((m) => ({ default: m.Teams })));

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="loading">Loading…</p>}>{children}</Suspense>;
}

function ToIssues() {
  const { org } = useParams();
  return <Navigate to={`/organizations/${org}/issues/`} replace />;
}

export const router = createBrowserRouter([
  { path: "/", element: <OrganizationPicker /> },
  { path: "/organizations/", element: <OrganizationPicker /> },
  {
    path: "/organizations/:org/",
    element: <Layout />,
    children: [
      { index: true, element: <ToIssues /> },
      { path: "issues/", element: <IssueList /> },
      { path: "issues/:issueId/", element: <Page><IssueDetail /></Page> },
      { path: "issues/:issueId/events/:eventId/", element: <Page><IssueDetail /></Page> },
      { path: "dashboards/", element: <Page><Dashboard /></Page> },
      { path: "projects/", element: <Page><Projects /></Page> },
      { path: "projects/:project/", element: <Page><ProjectSettings /></Page> },
      { path: "teams/", element: <Page><Teams /></Page> },
      { path: "*", element: <p className="empty">This page does not exist.</p> },
    ],
  },
  { path: "*", element: <p className="empty">This page does not exist.</p> },
]);
